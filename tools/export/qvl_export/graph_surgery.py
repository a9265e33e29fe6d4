"""Graph rewrites that weight quantizers need: constant weights fed straight into MatMul.

The fp32 export keeps HF's [out, in] Linear weights behind a Transpose (decoder) or inside Gemm(transB=1)
(vision). ONNX Runtime's MatMul quantizers only see a MatMul whose B input is an initializer, so these passes
store the transposed weight as its own initializer (named `<hf name>.T`) and drop the Transpose / Gemm.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper


def _rename_uses(graph, old, new):
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == old:
                node.input[i] = new
    for output in graph.output:
        if output.name == old:
            raise ValueError(f"{old} is a graph output; it cannot be folded away")


def _drop_unused_initializers(graph):
    used = {name for node in graph.node for name in node.input} | {o.name for o in graph.output}
    keep = [t for t in graph.initializer if t.name in used]
    removed = len(graph.initializer) - len(keep)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    return removed


def fold_weight_transposes(model):
    """Transpose(initializer) -> transposed initializer. Returns {new name: original name}."""
    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    created = {}
    for node in list(graph.node):
        if node.op_type != "Transpose" or node.input[0] not in initializers:
            continue
        source = initializers[node.input[0]]
        array = numpy_helper.to_array(source)
        perm = next((list(a.ints) for a in node.attribute if a.name == "perm"), list(range(array.ndim))[::-1])
        new_name = f"{source.name}.T" if len(perm) == 2 else f"{source.name}.perm{''.join(map(str, perm))}"
        if new_name not in initializers:
            folded = numpy_helper.from_array(np.ascontiguousarray(array.transpose(perm)), new_name)
            graph.initializer.append(folded)
            initializers[new_name] = folded
            created[new_name] = source.name
        _rename_uses(graph, node.output[0], new_name)
        graph.node.remove(node)
    _drop_unused_initializers(graph)
    return created


def gemm_to_matmul(model):
    """Gemm(A, W, C, transB=1) with initializer W -> MatMul(A, W^T) + Add(C). Returns {new name: original}."""
    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    created = {}
    rebuilt = []
    for index, node in enumerate(graph.node):
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if (node.op_type != "Gemm" or node.input[1] not in initializers or attrs.get("transA", 0)
                or attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0):
            rebuilt.append(node)
            continue
        weight = initializers[node.input[1]]
        name = weight.name
        if attrs.get("transB", 0):
            name = f"{weight.name}.T"
            if name not in initializers:
                folded = numpy_helper.from_array(np.ascontiguousarray(numpy_helper.to_array(weight).T), name)
                graph.initializer.append(folded)
                initializers[name] = folded
                created[name] = weight.name
        base = node.name or f"gemm{index}"
        if len(node.input) > 2 and node.input[2]:
            product = f"{base}_matmul_out"
            rebuilt.append(helper.make_node("MatMul", [node.input[0], name], [product], name=f"{base}_MatMul"))
            rebuilt.append(helper.make_node("Add", [product, node.input[2]], [node.output[0]], name=f"{base}_Add"))
        else:
            rebuilt.append(helper.make_node("MatMul", [node.input[0], name], [node.output[0]],
                                            name=f"{base}_MatMul"))
    copies = [_copy_node(n) for n in rebuilt]
    del graph.node[:]
    graph.node.extend(copies)
    _drop_unused_initializers(graph)
    return created


def _copy_node(node):
    copy = onnx.NodeProto()
    copy.CopyFrom(node)
    return copy


def ensure_node_names(model):
    """Quantizers select nodes by name; give every unnamed node one."""
    for index, node in enumerate(model.graph.node):
        if not node.name:
            node.name = f"{node.op_type}_{index}"


def matmuls_reading(model, initializer_names):
    """Names of MatMul nodes whose B input is one of `initializer_names`."""
    wanted = set(initializer_names)
    return [n.name for n in model.graph.node if n.op_type == "MatMul" and len(n.input) > 1 and n.input[1] in wanted]


def count_ops(model):
    counts = {}
    for node in model.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return counts


def clone(model):
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    return copy
