import json
import tempfile
import unittest
from pathlib import Path

from support import REPO_ROOT  # noqa: F401  (sets sys.path)
from qvl_export import manifest as mf

SHARED_2B = Path("/work/shared/models/qwen3-vl-2b-shape/onnx")


class ManifestFacts(unittest.TestCase):
    def test_plan_layout_AlignsEveryOffset_WhenTensorsHaveOddSizes(self):
        entries, total = mf.plan_layout([("a", "float32", [3]), ("b", "uint8", [70000]), ("c", "float32", [1])],
                                        "g.onnx_data")
        self.assertEqual([e["offset"] for e in entries], [0, 65536, 196608])
        self.assertEqual([e["length"] for e in entries], [12, 70000, 4])
        self.assertEqual(total, 196612)

    def test_plan_layout_Raises_WhenNameRepeats(self):
        with self.assertRaises(ValueError):
            mf.plan_layout([("a", "float32", [1]), ("a", "float32", [1])], "g.onnx_data")

    def test_tensor_bytes_Raises_WhenDtypeUnknown(self):
        with self.assertRaises(ValueError):
            mf.tensor_bytes("complex64", [2])

    def test_build_manifest_CountsParametersAndLegend_WhenKindsGiven(self):
        entries, total = mf.plan_layout([("w", "float32", [4, 2]), ("n", "float32", [2])], "g.onnx_data")
        kinds = {"w": mf.float_kind_for_parameter("x.w.weight", "Linear"),
                 "n": mf.float_kind_for_parameter("x.norm.weight", "Qwen3VLTextRMSNorm")}
        manifest = mf.build_manifest("g.onnx", "g.onnx_data", entries, total, kinds, "abc")
        self.assertEqual(manifest["num_parameters"], 10)
        self.assertEqual(manifest["tensors"][0]["kind"], "normal")
        self.assertEqual(manifest["tensors"][0]["std"], 0.02)
        self.assertEqual(manifest["tensors"][1]["kind"], "ones")
        self.assertEqual(sorted(manifest["kind_legend"]), ["normal", "ones"])

    def test_build_manifest_Raises_WhenTensorHasNoKind(self):
        entries, total = mf.plan_layout([("w", "float32", [1])], "g.onnx_data")
        with self.assertRaises(ValueError):
            mf.build_manifest("g.onnx", "g.onnx_data", entries, total, {}, "abc")

    def test_write_manifest_RoundTripsThroughJson_WhenWritten(self):
        entries, total = mf.plan_layout([("b", "float32", [3])], "g.onnx_data")
        manifest = mf.build_manifest("g.onnx", "g.onnx_data", entries, total,
                                     {"b": mf.float_kind_for_parameter("l.bias", "Linear")}, "abc")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "g.manifest.json"
            mf.write_manifest(path, manifest)
            self.assertEqual(json.loads(path.read_text(encoding="utf-8")), manifest)
        self.assertEqual(manifest["tensors"][0]["kind"], "zeros")

    def test_quantized_kind_DescribesMatMulNBitsInputs_WhenBits4(self):
        self.assertEqual(mf.quantized_kind("MatMulNBits", 1, "uint8", 4)["kind"], "uint4_packed_random")
        scale = mf.quantized_kind("MatMulNBits", 2, "float32", 4)
        self.assertEqual(scale["kind"], "constant")
        self.assertAlmostEqual(scale["value"] * mf.INT4_CODE_RMS, 0.02)
        self.assertEqual(mf.quantized_kind("MatMulNBits", 3, "uint8", 4), {"kind": "byte_fill", "value": 0x88})
        self.assertIsNone(mf.quantized_kind("MatMulNBits", 0, "float32", 4))

    def test_quantized_kind_DescribesInt8Weights_WhenMatMulInteger(self):
        self.assertEqual(mf.quantized_kind("MatMulInteger", 1, "int8"), {"kind": "int8_random"})
        self.assertEqual(mf.quantized_kind("MatMulInteger", 3, "int8"), {"kind": "zeros"})
        scale = mf.quantized_kind("Mul", 1, "float32", name="w.T_scale")
        self.assertAlmostEqual(scale["value"] * mf.INT8_CODE_RMS, 0.02)

    def test_quantized_kind_ReturnsNone_WhenFloatInputIsNoScale(self):
        self.assertIsNone(mf.quantized_kind("Mul", 1, "float32", name="some_constant"))
        self.assertIsNone(mf.quantized_kind("Add", 1, "float32"))

    @unittest.skipUnless(SHARED_2B.exists(), "shared 2b-shape package not on this machine")
    def test_plan_layout_ReproducesSharedOffsets_When2bShapeManifest(self):
        shared = json.loads((SHARED_2B / "vision_encoder.manifest.json").read_text(encoding="utf-8"))
        specs = [(t["name"], t["dtype"], t["shape"]) for t in shared["tensors"]]
        entries, total = mf.plan_layout(specs, shared["data_file"])
        self.assertEqual([e["offset"] for e in entries], [t["offset"] for t in shared["tensors"]])
        self.assertEqual(total, shared["data_file_bytes"])


if __name__ == "__main__":
    unittest.main()
