"""Fill kinds for the manifest of every external tensor of an exported (and maybe quantized) graph."""
from onnx import helper

from . import manifest as mf
from .graph_writer import _EXTERNAL_TYPES, externalizable


def parameter_kinds(model):
    """HF state-dict name -> fill kind, from the module that owns each parameter."""
    kinds = {}
    for module_name, module in model.named_modules():
        for param_name, _ in module.named_parameters(recurse=False):
            full = f"{module_name}.{param_name}" if module_name else param_name
            kinds[full] = mf.float_kind_for_parameter(full, type(module).__name__)
    return kinds


def graph_kinds(graph_model, renamed, param_kinds):
    """name -> kind for the tensors graph_writer externalizes; raises when one cannot be classified."""
    consumers = {}
    for node in graph_model.graph.node:
        bits = next((helper.get_attribute_value(a) for a in node.attribute if a.name == "bits"), None)
        for index, name in enumerate(node.input):
            consumers.setdefault(name, []).append((node.op_type, index, bits))
    kinds = {}
    for tensor in externalizable(graph_model):
        name = tensor.name
        original = renamed.get(name, name)
        if original in param_kinds:
            kinds[name] = param_kinds[original]
            continue
        dtype = _EXTERNAL_TYPES[tensor.data_type]
        found = None
        for op_type, index, bits in consumers.get(name, []):
            found = mf.quantized_kind(op_type, index, dtype, bits, name)
            if found:
                break
        if found is None:
            raise ValueError(f"cannot tell how to fill {name} ({dtype}, used by {consumers.get(name)})")
        kinds[name] = found
    return kinds
