"""Serializes a GraphBuilder: weights embedded in the graph, or manifest-only (§10: graph + manifest, the data
file written later by `qwenvl make-weights`); and writes onnx/fused.json."""
import json
from pathlib import Path

import onnx
from onnx import TensorProto

from .. import manifest as mf
from ..graph_writer import sha256_file
from .graph import WeightSpec, array_proto, onnx_type

FORMAT = "qwenvl-fused"
VERSION = 1


def _external_proto(name, spec, entry):
    tensor = TensorProto(name=name, data_type=onnx_type(spec.dtype), dims=list(spec.shape))
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", entry["data_file"]), ("offset", str(entry["offset"])),
                       ("length", str(entry["length"]))):
        item = tensor.external_data.add()
        item.key, item.value = key, value
    return tensor


EXTERNAL_THRESHOLD_BYTES = 100 * 1024 * 1024
INLINE_LIMIT_BYTES = 4096  # shape constants stay in the graph; weights go to the data file


def write_graph(builder, onnx_dir, name, mode):
    """mode 'embedded' (weights inside the graph), 'external' (weights in one 64 KiB-aligned `name`.onnx_data, as
    §10 lays it out), 'auto' (external above 100 MB: protobuf cannot hold 2 GB) or 'manifest' (weights are
    WeightSpecs: graph + manifest, no data). Returns a summary dict."""
    onnx_dir = Path(onnx_dir)
    onnx_dir.mkdir(parents=True, exist_ok=True)
    graph_path = onnx_dir / f"{name}.onnx"
    specs = {n: v for n, v in builder.initializers.items() if isinstance(v, WeightSpec)}
    arrays = {n: v for n, v in builder.initializers.items() if not isinstance(v, WeightSpec)}
    if mode == "auto":
        mode = "external" if sum(a.nbytes for a in arrays.values()) > EXTERNAL_THRESHOLD_BYTES else "embedded"
    summary = {"mode": mode, "nodes": len(builder.nodes), "initializers": len(builder.initializers)}
    if mode == "external":
        if specs:
            raise ValueError(f"external mode needs real weights; {len(specs)} are shape-only")
        return _write_external(builder, arrays, onnx_dir, graph_path, name, summary)
    if mode == "embedded":
        if specs:
            raise ValueError(f"embedded mode needs real weights; {len(specs)} are shape-only, e.g. {next(iter(specs))}")
        model = builder.to_model([array_proto(n, a) for n, a in arrays.items()])
        onnx.save_model(model, str(graph_path))
        summary["weight_bytes"] = sum(a.nbytes for a in arrays.values())
        summary["graph_bytes"] = graph_path.stat().st_size
        return summary
    if mode != "manifest":
        raise ValueError(f"unknown mode {mode!r}")
    too_big = [n for n, a in arrays.items() if a.nbytes > INLINE_LIMIT_BYTES]
    if too_big:
        raise ValueError(f"manifest mode keeps only small constants inline; {too_big[:3]} carry real weights")
    data_name = f"{name}.onnx_data"
    entries, data_bytes = mf.plan_layout([(n, s.dtype.name, s.shape) for n, s in specs.items()], data_name)
    protos = [array_proto(n, a) for n, a in arrays.items()]
    protos += [_external_proto(e["name"], specs[e["name"]], e) for e in entries]
    onnx.save_model(builder.to_model(protos), str(graph_path))
    digest = sha256_file(graph_path)
    kinds = {n: s.kind for n, s in specs.items()}
    manifest = mf.build_manifest(graph_path.name, data_name, entries, data_bytes, kinds, digest)
    mf.write_manifest(onnx_dir / f"{name}.manifest.json", manifest)
    summary.update({"graph_bytes": graph_path.stat().st_size, "data_bytes": data_bytes, "tensors": len(entries),
                    "parameters": manifest["num_parameters"], "graph_sha256": digest})
    return summary


def _write_external(builder, arrays, onnx_dir, graph_path, name, summary):
    data_name = f"{name}.onnx_data"
    weights = {n: a for n, a in arrays.items() if a.nbytes > INLINE_LIMIT_BYTES}
    entries, data_bytes = mf.plan_layout([(n, a.dtype.name, a.shape) for n, a in weights.items()], data_name)
    with open(onnx_dir / data_name, "wb") as data:
        data.truncate(data_bytes)
        for entry in entries:
            payload = weights[entry["name"]].astype(weights[entry["name"]].dtype.newbyteorder("<"), copy=False)
            data.seek(entry["offset"])
            data.write(payload.tobytes(order="C"))
    protos = [array_proto(n, a) for n, a in arrays.items() if n not in weights]
    protos += [_external_proto(e["name"], WeightSpec(weights[e["name"]].shape, "normal", weights[e["name"]].dtype), e)
               for e in entries]
    onnx.save_model(builder.to_model(protos), str(graph_path))
    summary.update({"graph_bytes": graph_path.stat().st_size, "data_bytes": data_bytes, "tensors": len(entries)})
    return summary


def write_fused_json(onnx_dir, precision="fp32", vision_precision="fp32", block_size=32, accuracy_level=4):
    info = {"format": FORMAT, "version": VERSION, "precision": precision, "vision_precision": vision_precision,
            "block_size": block_size, "accuracy_level": accuracy_level, "kv_dtype": "float32"}
    path = Path(onnx_dir) / "fused.json"
    path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info
