"""A small ONNX graph builder: nodes with unique names, initializers (real arrays or shape-only specs), I/O."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
MS_DOMAIN = "com.microsoft"

_NUMPY_TO_ONNX = {np.dtype("float32"): TensorProto.FLOAT, np.dtype("int64"): TensorProto.INT64,
                  np.dtype("int32"): TensorProto.INT32, np.dtype("int8"): TensorProto.INT8,
                  np.dtype("uint8"): TensorProto.UINT8, np.dtype("float16"): TensorProto.FLOAT16}


class WeightSpec:
    """A weight known by dtype, shape and fill kind only (manifest-only packages: the bytes are written later)."""

    def __init__(self, shape, kind, dtype="float32", **extra):
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.kind = dict(kind=kind, **extra)

    @property
    def T(self):  # noqa: N802 - mirrors numpy's .T so builders can treat arrays and specs alike
        if len(self.shape) != 2:
            raise ValueError(f"transpose of a rank-{len(self.shape)} spec")
        return WeightSpec(self.shape[::-1], **self.kind, dtype=self.dtype)


def concat_rows(parts):
    """Stacks [out_i, in] weights into [Σ out_i, in] (packed QKV, gate/up)."""
    if all(isinstance(p, WeightSpec) for p in parts):
        inner = {p.shape[1:] for p in parts}
        kinds = {tuple(sorted(p.kind.items())) for p in parts}
        if len(inner) != 1 or len(kinds) != 1:
            raise ValueError("packed weights must share their inner shape and fill kind")
        return WeightSpec((sum(p.shape[0] for p in parts),) + parts[0].shape[1:], **parts[0].kind,
                          dtype=parts[0].dtype)
    if any(isinstance(p, WeightSpec) for p in parts):
        raise ValueError("cannot pack real weights with shape-only specs")
    return np.concatenate(parts, axis=0)


def transpose(weight):
    return weight.T if isinstance(weight, WeightSpec) else np.ascontiguousarray(weight.T)


class GraphBuilder:
    def __init__(self, name):
        self.name = name
        self.nodes = []
        self.inputs = []
        self.outputs = []
        self.initializers = {}  # name -> np.ndarray | WeightSpec
        self._names = set()

    def fresh(self, base):
        name, n = base, 1
        while name in self._names:
            n += 1
            name = f"{base}_{n}"
        self._names.add(name)
        return name

    def input(self, name, elem_type, shape):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        self._names.add(name)
        return name

    def output(self, name, elem_type, shape):
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))

    def initializer(self, name, value):
        if name in self.initializers:
            if self.initializers[name] is not value:
                raise ValueError(f"initializer {name!r} defined twice")
            return name
        if isinstance(value, np.ndarray) and value.dtype not in _NUMPY_TO_ONNX:
            raise ValueError(f"{name}: dtype {value.dtype} not supported")
        self.initializers[name] = value
        self._names.add(name)
        return name

    def const(self, name, values, dtype=np.int64):
        return self.initializer(self.fresh(name), np.asarray(values, dtype=dtype))

    def node(self, op, inputs, name, outputs=1, domain="", **attrs):
        """Adds one node; returns its output name (outputs=1) or list of names. '' in outputs skips one."""
        node_name = self.fresh(name)
        if isinstance(outputs, int):
            out_names = [self.fresh(f"{node_name}/out{i}" if outputs > 1 else f"{node_name}/out")
                         for i in range(outputs)]
        else:
            # Names given explicitly (graph outputs, readable sums) are kept; "" leaves an optional output unused.
            out_names = [o if o == "" else self.fresh(o) for o in outputs]
        self.nodes.append(helper.make_node(op, list(inputs), out_names, name=node_name, domain=domain or None,
                                           **attrs))
        return out_names[0] if len(out_names) == 1 else out_names

    def to_model(self, initializer_protos):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, initializer_protos)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                        helper.make_opsetid(MS_DOMAIN, 1)],
                                  producer_name="qvl_export.fused")
        model.ir_version = 8
        return model


def array_proto(name, array):
    return numpy_helper.from_array(np.ascontiguousarray(array), name)


def onnx_type(dtype):
    return _NUMPY_TO_ONNX[np.dtype(dtype)]


__all__ = ["GraphBuilder", "WeightSpec", "concat_rows", "transpose", "array_proto", "onnx_type", "MS_DOMAIN",
           "onnx"]
