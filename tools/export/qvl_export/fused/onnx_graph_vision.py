"""A small ONNX graph builder for the fused exporter: nodes, graph inputs/outputs, weights and constants.

Weights are either numpy arrays or `Placeholder`s (shape, dtype and manifest fill kind, no data): the same build
code then writes a tiny package with its real weights (`save(..., mode="embedded")`) or a 2B-shape graph whose
weights live in `<graph>.onnx_data` and are described by `<graph>.manifest.json` (`mode="manifest"`, §10).
Constants (`const`) always stay inside the graph.
"""
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .. import manifest as mf
from ..graph_writer import sha256_file

MS_DOMAIN = "com.microsoft"
OPSET = 17
MS_OPSET = 1

_ONNX_TYPES = {np.dtype("float32"): TensorProto.FLOAT, np.dtype("int64"): TensorProto.INT64,
               np.dtype("int32"): TensorProto.INT32, np.dtype("int8"): TensorProto.INT8,
               np.dtype("uint8"): TensorProto.UINT8}


@dataclass(frozen=True)
class Placeholder:
    """A weight known only by shape and dtype; `kind` is its manifest fill spec ({"kind": "normal", ...})."""
    shape: tuple
    dtype: str
    kind: dict = field(default_factory=dict)

    @property
    def nbytes(self):
        return mf.tensor_bytes(self.dtype, self.shape)


def shape_of(weight):
    return tuple(weight.shape)


class OnnxGraphBuilder:
    """Collects one graph. Node names are unique and readable (`<prefix>/<op>`), which keeps profiles legible."""

    def __init__(self, name):
        self.name = name
        self.nodes = []
        self.inputs = []
        self.outputs = []
        self.weights = {}      # name -> np.ndarray | Placeholder, in insertion order (= data file order)
        self.constants = {}    # name -> np.ndarray
        self._used = set()
        self._counter = 0

    # --- graph ports -------------------------------------------------------------------------------------------
    def input(self, name, elem_type, shape):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        self._used.add(name)
        return name

    def output(self, name, elem_type, shape):
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    # --- tensors -----------------------------------------------------------------------------------------------
    def weight(self, name, value):
        """A model parameter (HF name or a name derived from one). Raises on a repeated name."""
        if name in self.weights or name in self.constants:
            raise ValueError(f"weight {name!r} added twice")
        if not isinstance(value, Placeholder):
            value = np.ascontiguousarray(value)
            if value.dtype not in _ONNX_TYPES:
                raise ValueError(f"weight {name!r} has unsupported dtype {value.dtype}")
        self.weights[name] = value
        self._used.add(name)
        return name

    def const(self, value, name=None, dtype=None):
        """A small constant (shape vectors, axes, frequency tables) stored in the graph."""
        array = np.asarray(value, dtype=dtype)
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        name = name or self._fresh("const")
        if name in self.weights or name in self.constants:
            raise ValueError(f"constant {name!r} added twice")
        self.constants[name] = array
        self._used.add(name)
        return name

    def _fresh(self, stem):
        while True:
            self._counter += 1
            candidate = f"{stem}_{self._counter}"
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate

    # --- nodes -------------------------------------------------------------------------------------------------
    def node(self, op_type, inputs, name, outputs=1, domain="", **attrs):
        """Adds one node; `name` is its prefix (`blocks.3/attn`). Returns the output name (or list if outputs > 1).

        `inputs` may contain "" for an omitted optional input. `outputs` is a count or a list of names.
        """
        node_name = f"{name}/{op_type}"
        if node_name in self._used:
            node_name = self._fresh(node_name)
        self._used.add(node_name)
        if isinstance(outputs, int):
            outputs = [f"{node_name}_output_{i}" for i in range(outputs)]
        for out in outputs:
            self._used.add(out)
        self.nodes.append(helper.make_node(op_type, list(inputs), list(outputs), name=node_name, domain=domain,
                                           **attrs))
        return outputs[0] if len(outputs) == 1 else list(outputs)

    # --- writing -----------------------------------------------------------------------------------------------
    def model(self, external=None):
        """The ModelProto. external: name -> manifest entry for weights stored outside the graph."""
        initializers = []
        for name, value in self.weights.items():
            if external is not None and name in external:
                initializers.append(_external_tensor(name, value, external[name]))
            elif isinstance(value, Placeholder):
                raise ValueError(f"weight {name!r} has no data; write the graph in manifest mode")
            else:
                initializers.append(numpy_helper.from_array(value, name))
        initializers += [numpy_helper.from_array(v, n) for n, v in self.constants.items()]
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, initializers)
        opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, MS_OPSET)]
        model = helper.make_model(graph, opset_imports=opsets, producer_name="qvl_export.fused")
        model.ir_version = 8
        return model

    def save(self, onnx_dir, graph_name, mode="embedded"):
        """Writes `<graph_name>.onnx`; mode "manifest" also writes the §10 manifest and no weights.

        Returns a summary dict (nodes, weights, bytes; manifest mode: data_file_bytes).
        """
        onnx_dir = Path(onnx_dir)
        onnx_dir.mkdir(parents=True, exist_ok=True)
        graph_path = onnx_dir / f"{graph_name}.onnx"
        summary = {"graph": graph_path.name, "nodes": len(self.nodes), "weights": len(self.weights),
                   "weight_bytes": sum(_nbytes(v) for v in self.weights.values()),
                   "ops": dict(sorted(_count(n.op_type for n in self.nodes).items()))}
        if mode == "embedded":
            onnx.save_model(self.model(), str(graph_path))
            return summary
        if mode != "manifest":
            raise ValueError(f"unknown mode {mode!r}")
        data_file = f"{graph_name}.onnx_data"
        specs = [(n, _dtype_name(v), list(shape_of(v))) for n, v in self.weights.items()]
        entries, data_bytes = mf.plan_layout(specs, data_file)
        external = {e["name"]: e for e in entries}
        onnx.save_model(self.model(external), str(graph_path))
        kinds = {n: _kind(n, v) for n, v in self.weights.items()}
        digest = sha256_file(graph_path)
        manifest = mf.build_manifest(graph_path.name, data_file, entries, data_bytes, kinds, digest)
        mf.write_manifest(onnx_dir / f"{graph_name}.manifest.json", manifest)
        summary.update({"data_file_bytes": data_bytes, "graph_sha256": digest})
        return summary


def _count(items):
    counts = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def _nbytes(value):
    return value.nbytes


def _dtype_name(value):
    return value.dtype if isinstance(value, Placeholder) else str(value.dtype)


def _kind(name, value):
    if not isinstance(value, Placeholder) or not value.kind:
        raise ValueError(f"manifest mode needs a Placeholder with a fill kind for {name!r}")
    return dict(value.kind)


def _external_tensor(name, value, entry):
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = _ONNX_TYPES[np.dtype(_dtype_name(value))]
    tensor.dims.extend(shape_of(value))
    tensor.data_location = TensorProto.EXTERNAL
    for key, item in (("location", entry["data_file"]), ("offset", str(entry["offset"])),
                      ("length", str(entry["length"]))):
        kv = tensor.external_data.add()
        kv.key, kv.value = key, item
    return tensor
