"""The fused decoder in int8 / int4 (qvl_export/fused/decoder_quant.py): every projection and the tied lm_head
quantized, the committed tiny quantized decoders are what the builder writes, and the committed 2B int8 / int4
folders' decoder manifests belong to their graphs and use kinds `qwenvl make-weights` fills."""
import collections
import hashlib
import json
import tempfile
import unittest
from pathlib import Path

import onnx

from support import REPO_ROOT, TINY_PACKAGE
from qvl_export import manifest as mf
from qvl_export.fused import text_dims, weights as fw, writer
from qvl_export.fused.decoder import build_decoder
from qvl_export.fused.decoder_quant import linear_for, lm_head_for

FILLABLE = {("float32", "ones"), ("float32", "normal"), ("float32", "constant"), ("float32", "zeros"),
            ("int8", "int8_random"), ("int8", "zeros"), ("uint8", "uint4_packed_random"), ("uint8", "uint8_random")}


def _build(weights, dims, precision, **options):
    return build_decoder(weights, dims, linear=linear_for(precision, **options),
                         lm_head=lm_head_for(precision, **options))


class QuantizedDecoderFacts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dims = text_dims.load(TINY_PACKAGE / "config.json")
        cls.weights, _ = fw.from_legacy_graph(TINY_PACKAGE / "onnx" / "decoder_model_merged.onnx", cls.dims)

    def _ops(self, builder):
        return collections.Counter(n.op_type for n in builder.nodes)

    def test_int4_QuantizesEveryProjectionAndTheLmHead_WithBlock32Accuracy4(self):
        b = _build(self.weights, self.dims, "int4")
        nbits = [n for n in b.nodes if n.op_type == "MatMulNBits"]
        self.assertEqual(len(nbits), 4 * self.dims.layers + 1)
        for node in nbits:
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            self.assertEqual((attrs["bits"], attrs["block_size"], attrs["accuracy_level"]), (4, 32, 4))
        ops = self._ops(b)
        self.assertEqual(ops["MatMul"] + ops["Gemm"], 0)
        self.assertNotIn("model.language_model.embed_tokens.weight", b.initializers)  # no fp32 head left

    def test_int8_UsesDynamicQuantizeMatMulByDefault_AndMatMulNBits8OnRequest(self):
        self.assertEqual(self._ops(_build(self.weights, self.dims, "int8"))["DynamicQuantizeMatMul"],
                         4 * self.dims.layers + 1)
        nbits = [n for n in _build(self.weights, self.dims, "int8", int8_kernel="nbits").nodes
                 if n.op_type == "MatMulNBits"]
        self.assertEqual(len(nbits), 4 * self.dims.layers + 1)
        self.assertTrue(all(onnx.helper.get_attribute_value(a) == 8 for n in nbits for a in n.attribute
                            if a.name == "bits"))

    def test_linearFor_Raises_WhenPrecisionOrKernelIsUnknown(self):
        with self.assertRaisesRegex(ValueError, "int3"):
            linear_for("int3")
        with self.assertRaisesRegex(ValueError, "kernel"):
            linear_for("int8", int8_kernel="gemv")

    def test_committedTinyQuantizedDecoders_AreWhatTheBuilderWrites(self):
        variants = {"int8_dqmm": ("int8", "dqmm"), "int8_nbits": ("int8", "nbits"), "int4": ("int4", "dqmm")}
        for variant, (precision, kernel) in variants.items():
            with self.subTest(variant=variant), tempfile.TemporaryDirectory() as tmp:
                name = f"decoder_fused_{variant}"
                writer.write_graph(_build(self.weights, self.dims, precision, int8_kernel=kernel), tmp, name, "embedded")
                rebuilt = hashlib.sha256((Path(tmp) / f"{name}.onnx").read_bytes()).hexdigest()
                committed = hashlib.sha256((TINY_PACKAGE / "onnx" / f"{name}.onnx").read_bytes()).hexdigest()
                self.assertEqual(rebuilt, committed)

    def test_committed2bQuantizedDecoders_MatchTheirGraphsAndUseFillableKinds(self):
        graphs = {"qwen3-vl-2b-fused-int8": ["decoder_fused"],
                  "qwen3-vl-2b-fused-int4": ["decoder_fused", "decoder_fused_prefill"]}
        for package, names in graphs.items():
            onnx_dir = REPO_ROOT / "models" / package / "onnx"
            for name in names:
                with self.subTest(package=package, graph=name):
                    manifest = json.loads((onnx_dir / f"{name}.manifest.json").read_text(encoding="utf-8"))
                    graph = onnx_dir / f"{name}.onnx"
                    self.assertEqual(manifest["graph_sha256"], hashlib.sha256(graph.read_bytes()).hexdigest())
                    self.assertLessEqual({(t["dtype"], t["kind"]) for t in manifest["tensors"]}, FILLABLE)
                    for tensor in manifest["tensors"]:
                        self.assertEqual(tensor["length"], mf.tensor_bytes(tensor["dtype"], tensor["shape"]))
            fused = json.loads((onnx_dir / "fused.json").read_text(encoding="utf-8"))
            self.assertEqual(fused["precision"], package.rsplit("-", 1)[1])
            for graph in ("embed_tokens", "vision_fused"):
                self.assertTrue((onnx_dir / f"{graph}.manifest.json").exists(), f"{package} lacks {graph}")


if __name__ == "__main__":
    unittest.main()
