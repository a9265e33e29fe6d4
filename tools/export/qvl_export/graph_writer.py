"""Writes ONNX graphs into a package: weights inside the graph, in one aligned `<graph>.onnx_data`, or not at all
(--manifest-only: graph + manifest listing where every weight goes and how to fill it, §10)."""
import hashlib
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from . import manifest as mf

EXTERNAL_THRESHOLD_BYTES = 100 * 1024 * 1024
_EXTERNAL_TYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.FLOAT16: "float16",
                   onnx.TensorProto.INT8: "int8", onnx.TensorProto.UINT8: "uint8"}


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tensor_payload(tensor):
    if tensor.raw_data:
        return bytes(tensor.raw_data)
    return numpy_helper.to_array(tensor).tobytes()


def externalizable(model):
    """Initializers that go to the data file: float and 8-bit tensors (int64 shape constants stay inline)."""
    return [t for t in model.graph.initializer if t.data_type in _EXTERNAL_TYPES]


def _point_to_external(tensor, entry):
    dims = list(tensor.dims)
    name, data_type = tensor.name, tensor.data_type
    tensor.Clear()
    tensor.name, tensor.data_type = name, data_type
    tensor.dims.extend(dims)
    tensor.data_location = onnx.TensorProto.EXTERNAL
    for key, value in (("location", entry["data_file"]), ("offset", str(entry["offset"])),
                       ("length", str(entry["length"]))):
        item = tensor.external_data.add()
        item.key, item.value = key, value


def write_graph(model, onnx_dir, name, mode, kinds=None):
    """Writes `name`.onnx (+ data / manifest). mode: 'embedded', 'external', 'auto' or 'manifest'.

    Returns a summary dict. kinds (name -> fill kind) is required for 'manifest'. The model is modified.
    """
    onnx_dir = Path(onnx_dir)
    onnx_dir.mkdir(parents=True, exist_ok=True)
    graph_path = onnx_dir / f"{name}.onnx"
    tensors = externalizable(model)
    weight_bytes = sum(len(_tensor_payload(t)) for t in tensors)
    if mode == "auto":
        mode = "external" if weight_bytes > EXTERNAL_THRESHOLD_BYTES else "embedded"
    summary = {"mode": mode, "nodes": len(model.graph.node), "initializers": len(model.graph.initializer),
               "weight_bytes": weight_bytes}
    if mode == "embedded":
        onnx.save_model(model, str(graph_path))
        summary["graph_bytes"] = graph_path.stat().st_size
        return summary

    data_name = f"{name}.onnx_data"
    specs = [(t.name, _EXTERNAL_TYPES[t.data_type], list(t.dims)) for t in tensors]
    entries, data_bytes = mf.plan_layout(specs, data_name)
    if mode == "external":
        with open(onnx_dir / data_name, "wb") as data:
            data.truncate(data_bytes)
            for tensor, entry in zip(tensors, entries):
                payload = _tensor_payload(tensor)
                if len(payload) != entry["length"]:
                    raise ValueError(f"{tensor.name}: {len(payload)} bytes, layout expects {entry['length']}")
                data.seek(entry["offset"])
                data.write(payload)
    elif mode != "manifest":
        raise ValueError(f"unknown graph write mode {mode!r}")
    for tensor, entry in zip(tensors, entries):
        _point_to_external(tensor, entry)
    onnx.save_model(model, str(graph_path))
    digest = sha256_file(graph_path)
    summary.update({"graph_bytes": graph_path.stat().st_size, "data_bytes": data_bytes, "tensors": len(entries),
                    "graph_sha256": digest})
    if mode == "manifest":
        if kinds is None:
            raise ValueError("manifest mode needs the fill kind of every tensor")
        manifest = mf.build_manifest(graph_path.name, data_name, entries, data_bytes, kinds, digest)
        mf.write_manifest(onnx_dir / f"{name}.manifest.json", manifest)
        summary["parameters"] = manifest["num_parameters"]
    return summary


def fill_tensor(spec, rng):
    """Bytes of one manifest tensor, filled as its kind says (used to regenerate weights for benchmarks)."""
    shape = tuple(spec["shape"])
    dtype = np.dtype(spec["dtype"])
    kind = spec["kind"]
    if kind == "ones":
        array = np.ones(shape, dtype)
    elif kind == "zeros":
        array = np.zeros(shape, dtype)
    elif kind == "normal":
        array = rng.standard_normal(shape, dtype=np.float32) * np.float32(spec["std"]) + np.float32(spec["mean"])
        array = array.astype(dtype)
    elif kind == "constant":
        array = np.full(shape, spec["value"], dtype)
    elif kind == "byte_fill":
        array = np.full(shape, spec["value"], np.uint8).view(dtype)
    elif kind in ("uint4_packed_random", "uint8_random"):
        array = rng.integers(0, 256, size=shape, dtype=np.uint8).view(dtype)
    elif kind == "int8_random":
        array = rng.integers(-127, 128, size=shape, dtype=np.int8).view(dtype)
    else:
        raise ValueError(f"unknown kind {kind!r} for {spec['name']}")
    payload = array.tobytes()
    if len(payload) != spec["length"]:
        raise ValueError(f"{spec['name']}: filled {len(payload)} bytes, manifest says {spec['length']}")
    return payload
