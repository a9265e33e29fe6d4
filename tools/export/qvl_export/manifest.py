"""Weight manifests for graphs shipped without weights (model-package.md §10), in plain Python.

A manifest lists every external tensor of one graph: where its bytes go in `<graph>.onnx_data` (64 KiB aligned
offsets) and a `kind` that says how to fill them so a regenerated model computes finite values. Quantized graphs
add kinds for packed 4-bit / 8-bit weights, their scales and zero points.
"""
import json

ALIGNMENT = 65536

DTYPE_BYTES = {
    "float32": 4, "float16": 2, "bfloat16": 2, "float64": 8,
    "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "int64": 8, "uint64": 8, "bool": 1,
}

# Standard deviation the float weights of random (benchmark) packages are drawn with; HF's initializer_range.
RANDOM_WEIGHT_STD = 0.02

# Uniform 4-bit codes 0..15 around zero point 8 have rms sqrt(21.5); uniform int8 codes -127..127 have rms
# sqrt(127*128/3). Scales chosen so dequantized weights have the same spread as the fp32 random weights.
INT4_CODE_RMS = 21.5 ** 0.5
INT8_CODE_RMS = (127 * 128 / 3) ** 0.5
INT4_RANDOM_SCALE = RANDOM_WEIGHT_STD / INT4_CODE_RMS
INT8_RANDOM_SCALE = RANDOM_WEIGHT_STD / INT8_CODE_RMS

KIND_LEGEND = {
    "ones": "fill 1.0 (norm weight)",
    "zeros": "fill 0 in the tensor's dtype (bias, int8 zero point)",
    "normal": "normal(mean, std) (linear/conv/embedding weight)",
    "constant": "fill `value` in the tensor's dtype (quantization scale)",
    "byte_fill": "every byte = `value` (packed 4-bit zero points: 0x88 = zero point 8 in both nibbles)",
    "uint4_packed_random": "uniform random bytes = two uniform 4-bit codes 0..15 per byte (MatMulNBits B, bits=4)",
    "uint8_random": "uniform random codes 0..255 (8-bit packed weights)",
    "int8_random": "uniform random int8 codes in [-127, 127] (dynamically quantized MatMul weight, zero point 0)",
}


def align(offset, alignment=ALIGNMENT):
    """Smallest multiple of `alignment` that is >= offset."""
    return (offset + alignment - 1) // alignment * alignment


def element_count(shape):
    count = 1
    for dim in shape:
        if dim < 0:
            raise ValueError(f"shape {shape} has a negative dimension")
        count *= dim
    return count


def tensor_bytes(dtype, shape):
    if dtype not in DTYPE_BYTES:
        raise ValueError(f"unsupported dtype {dtype!r}")
    return element_count(shape) * DTYPE_BYTES[dtype]


def plan_layout(tensors, data_file, alignment=ALIGNMENT):
    """Assigns each (name, dtype, shape) an aligned offset in data_file, in the given order.

    Returns (entries, data_file_bytes); each entry has name, data_file, offset, length, dtype, shape.
    """
    entries = []
    offset = 0
    seen = set()
    for name, dtype, shape in tensors:
        if name in seen:
            raise ValueError(f"tensor {name!r} listed twice")
        seen.add(name)
        offset = align(offset, alignment)
        length = tensor_bytes(dtype, shape)
        entries.append({"name": name, "data_file": data_file, "offset": offset, "length": length,
                        "dtype": dtype, "shape": list(shape)})
        offset += length
    return entries, offset


def build_manifest(graph_file, data_file, entries, data_file_bytes, kinds, graph_sha256, alignment=ALIGNMENT):
    """The manifest dict of one graph. kinds: name -> dict with at least 'kind' (plus mean/std/value/module)."""
    tensors = []
    parameters = 0
    for entry in entries:
        spec = kinds.get(entry["name"])
        if spec is None or "kind" not in spec:
            raise ValueError(f"no fill kind for tensor {entry['name']!r}")
        if spec["kind"] not in KIND_LEGEND:
            raise ValueError(f"unknown kind {spec['kind']!r} for tensor {entry['name']!r}")
        tensor = dict(entry)
        tensor.update(spec)
        tensors.append(tensor)
        parameters += element_count(entry["shape"])
    used = sorted({t["kind"] for t in tensors})
    return {
        "graph": graph_file,
        "data_file": data_file,
        "alignment": alignment,
        "data_file_bytes": data_file_bytes,
        "num_tensors": len(tensors),
        "num_parameters": parameters,
        "graph_sha256": graph_sha256,
        "kind_legend": {kind: KIND_LEGEND[kind] for kind in used},
        "tensors": tensors,
    }


def write_manifest(path, manifest):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")


def float_kind_for_parameter(name, module_type):
    """Fill kind of one float parameter of the PyTorch model, from its name and owning module type."""
    leaf = name.rsplit(".", 1)[-1]
    if leaf == "bias":
        return {"kind": "zeros", "module": module_type}
    if "Norm" in module_type:
        return {"kind": "ones", "module": module_type}
    return {"kind": "normal", "mean": 0.0, "std": RANDOM_WEIGHT_STD, "module": module_type}


def quantized_kind(op_type, input_index, dtype, bits=None, name=""):
    """Fill kind of a tensor a quantizer created, from the node that consumes it.

    op_type/input_index: the consuming node and which input the tensor is; bits: MatMulNBits' bits attribute;
    name: the tensor name (ONNX Runtime's dynamic quantizer names scales `<weight>_scale`).
    Returns None when the tensor is not a quantization input this function knows.
    """
    if op_type in ("MatMulNBits", "GatherBlockQuantized"):
        data_index, scale_index, zero_index = (1, 2, 3) if op_type == "MatMulNBits" else (0, 2, 3)
        if input_index == data_index:
            return {"kind": "uint4_packed_random"} if bits == 4 else {"kind": "uint8_random"}
        if input_index == scale_index:
            return {"kind": "constant", "value": INT4_RANDOM_SCALE if bits == 4 else RANDOM_WEIGHT_STD / 73.9}
        if input_index == zero_index:
            if dtype == "uint8":
                return {"kind": "byte_fill", "value": 0x88 if bits == 4 else 128}
            return {"kind": "zeros"}
        return None
    if op_type in ("MatMulInteger", "DynamicQuantizeMatMul", "MatMulIntegerToFloat"):
        if input_index == 1:
            return {"kind": "int8_random"} if dtype == "int8" else {"kind": "uint8_random"}
        if op_type == "MatMulInteger" and input_index == 3:
            return {"kind": "zeros"} if dtype == "int8" else {"kind": "byte_fill", "value": 128}
        return None
    if op_type in ("Gather", "DequantizeLinear") and input_index == 0 and dtype in ("int8", "uint8"):
        return {"kind": "int8_random"} if dtype == "int8" else {"kind": "uint8_random"}
    if op_type == "DequantizeLinear" and input_index == 1:
        return {"kind": "constant", "value": INT8_RANDOM_SCALE}
    if op_type == "DequantizeLinear" and input_index == 2:
        return {"kind": "zeros"} if dtype == "int8" else {"kind": "byte_fill", "value": 128}
    if op_type == "Mul" and dtype == "float32" and name.endswith("_scale"):
        return {"kind": "constant", "value": INT8_RANDOM_SCALE}
    return None
