"""The fused exporter's numpy quantizers and its graph builder (no onnxruntime here: the kernels are run from C#,
tests/QwenVlStudio.Inference.Tests/Fused/VisionLinearQuantFacts.cs)."""
import json
import tempfile
import unittest
from pathlib import Path

import numpy as np

from support import REPO_ROOT, TINY_PACKAGE
from qvl_export.fused import quant, vision, vision_weights
from qvl_export.fused.onnx_graph_vision import OnnxGraphBuilder, Placeholder


class NibblePackingFacts(unittest.TestCase):
    def test_pack_nibbles_PutsEvenElementInLowNibble(self):
        packed = quant.pack_nibbles(np.array([[1, 2, 15, 0]], dtype=np.uint8))
        self.assertEqual(packed.tolist(), [[0x21, 0x0F]])

    def test_unpack_nibbles_InvertsPacking_ForEveryCodePair(self):
        codes = np.array([[a, b] for a in range(16) for b in range(16)], dtype=np.uint8).reshape(1, -1)
        self.assertTrue(np.array_equal(quant.unpack_nibbles(quant.pack_nibbles(codes)), codes))

    def test_pack_nibbles_Raises_WhenCodeExceeds15(self):
        with self.assertRaises(ValueError):
            quant.pack_nibbles(np.array([16, 0], dtype=np.uint8))


class Int4BlockFacts(unittest.TestCase):
    def test_quantize_int4_blocks_MapsLargestMagnitudeToCodeZeroExactly(self):
        w = np.zeros((1, 32), dtype=np.float32)
        w[0, 5], w[0, 9] = -0.8, 0.3
        packed, scales = quant.quantize_int4_blocks(w, 32)
        codes = quant.unpack_nibbles(packed)
        self.assertAlmostEqual(float(scales[0, 0]), 0.1, places=7)      # −0.8 / −8
        self.assertEqual(codes[0, 0, 5], 0)
        self.assertEqual(codes[0, 0, 9], 11)                              # round(0.3 / 0.1) + 8
        self.assertEqual(codes[0, 0, 0], 8)

    def test_dequantize_int4_IsWithinOneScaleOfWeights_AndPadsK(self):
        rng = np.random.default_rng(3)
        w = rng.standard_normal((5, 70)).astype(np.float32)
        packed, scales = quant.quantize_int4_blocks(w, 32)
        self.assertEqual(packed.shape, (5, 3, 16))
        self.assertEqual(scales.shape, (5, 3))
        back = quant.dequantize_int4(packed, scales, 70)
        step = np.repeat(np.abs(scales), 32, axis=1)[:, :70]
        # Rounding error ≤ scale / 2, except values clamped at code 15 (the opposite extreme): ≤ one scale.
        self.assertTrue(np.all(np.abs(back - w) <= step * (1 + 1e-6)))
        self.assertGreater(np.mean(np.abs(back - w) <= step / 2 * (1 + 1e-6)), 0.95)

    def test_quantize_int4_blocks_GivesZeroScaleAndCode8_ForZeroBlock(self):
        packed, scales = quant.quantize_int4_blocks(np.zeros((2, 32), dtype=np.float32), 32)
        self.assertTrue(np.all(scales == 0))
        self.assertTrue(np.all(packed == 0x88))

    def test_int4_blocks_Raises_WhenBlockSizeIsNotPowerOfTwo(self):
        with self.assertRaises(ValueError):
            quant.int4_blocks(64, 24)


class Int8Facts(unittest.TestCase):
    def test_quantize_int8_per_channel_ScalesEachRowByItsMaximum(self):
        w = np.array([[0.5, -1.27, 0.0], [0.0, 0.0, 0.0]], dtype=np.float32)
        codes, scales = quant.quantize_int8_per_channel(w)
        self.assertAlmostEqual(float(scales[0]), 0.01, places=7)
        self.assertEqual(codes[0].tolist(), [50, -127, 0])
        self.assertEqual(float(scales[1]), 0.0)
        self.assertTrue(np.all(np.abs(quant.dequantize_int8(codes, scales) - w) <= scales[:, None] / 2 + 1e-7))

    def test_quantize_int8_blocks_UsesZeroPoint128(self):
        w = np.linspace(-1, 1, 32, dtype=np.float32).reshape(1, 32)
        codes, scales = quant.quantize_int8_blocks(w, 32)
        self.assertEqual(int(codes[0, 0, 0]), 1)        # −1 → −127 + 128
        self.assertEqual(int(codes[0, 0, -1]), 255)     # +1 → 127 + 128
        back = quant.dequantize_int8_blocks(codes, scales, 32)
        self.assertLessEqual(float(np.abs(back - w).max()), float(scales.max()) / 2 + 1e-7)


class EmitterFacts(unittest.TestCase):
    def test_make_linear_int4_EmitsMatMulNBitsWithShapesAndBias(self):
        g = OnnxGraphBuilder("t")
        x = g.input("x", 1, ["m", 40])
        quant.make_linear(g, "lin", x, np.ones((6, 40), np.float32), np.zeros(6, np.float32), "int4", 32, 4)
        node = g.nodes[-1]
        attrs = {a.name: a.i for a in node.attribute}
        self.assertEqual(node.op_type, "MatMulNBits")
        self.assertEqual(attrs, {"K": 40, "N": 6, "bits": 4, "block_size": 32, "accuracy_level": 4})
        self.assertEqual(list(node.input), ["x", "lin.weight_int4", "lin.weight_scales", "", "", "lin.bias"])
        self.assertEqual(g.weights["lin.weight_int4"].shape, (6, 2, 16))

    def test_make_linear_int8_StoresTransposedCodes(self):
        g = OnnxGraphBuilder("t")
        x = g.input("x", 1, ["m", 3])
        quant.make_linear_int8(g, "lin", x, np.arange(6, dtype=np.float32).reshape(2, 3))
        self.assertEqual(g.nodes[-1].op_type, "DynamicQuantizeMatMul")
        self.assertEqual(g.weights["lin.weight_int8"].shape, (3, 2))
        self.assertEqual(g.weights["lin.weight_int8"].dtype, np.int8)

    def test_make_linear_Raises_WhenBiasShapeIsWrong(self):
        g = OnnxGraphBuilder("t")
        with self.assertRaises(ValueError):
            quant.make_linear(g, "lin", "x", np.ones((4, 4), np.float32), np.zeros(3, np.float32), "int8")

    def test_make_linear_GivesManifestKinds_ForPlaceholders(self):
        g = OnnxGraphBuilder("t")
        quant.make_linear(g, "lin", "x", Placeholder((8, 64), "float32", {"kind": "normal"}), None, "int4")
        self.assertEqual(g.weights["lin.weight_int4"].kind["kind"], "uint4_packed_random")
        self.assertEqual(g.weights["lin.weight_scales"].kind["kind"], "constant")


class FusedVisionGraphFacts(unittest.TestCase):
    def setUp(self):
        self.config = json.loads((TINY_PACKAGE / "config.json").read_text())["vision_config"]

    def test_read_legacy_vision_weights_ResolvesEveryMergedName(self):
        weights, aliases = vision_weights.read_legacy_vision_weights(TINY_PACKAGE / "onnx" / "vision_encoder.onnx")
        vision.check_weights(weights, vision.VisionDims.from_config(self.config))
        self.assertIn("model.visual.blocks.2.norm1.bias", aliases)
        self.assertTrue(np.array_equal(weights["model.visual.blocks.2.norm1.bias"], weights[aliases["model.visual.blocks.2.norm1.bias"]]))

    def test_build_vision_graph_HasContractPortsAndFusedOps(self):
        weights, _ = vision_weights.read_legacy_vision_weights(TINY_PACKAGE / "onnx" / "vision_encoder.onnx")
        model = vision.build_vision_graph(weights, self.config).model()
        self.assertEqual([i.name for i in model.graph.input], ["pixel_values", "pos_embed_idx", "pos_embed_weight", "rotary_pos_ids"])
        self.assertEqual([o.name for o in model.graph.output], ["image_features", "deepstack_features"])
        ops = [n.op_type for n in model.graph.node]
        self.assertEqual(ops.count("MultiHeadAttention"), self.config["depth"])
        self.assertNotIn("Softmax", ops)
        self.assertNotIn("Conv", ops)

    def test_build_vision_graph_Raises_WhenWeightMissing(self):
        dims = vision.VisionDims.from_config(self.config)
        weights = vision.placeholder_weights(dims)
        del weights["model.visual.blocks.1.attn.qkv.bias"]
        with self.assertRaises(KeyError):
            vision.build_vision_graph(weights, self.config)

    def test_save_manifest_ListsEveryWeight_WithoutData(self):
        dims = vision.VisionDims.from_config(self.config)
        graph = vision.build_vision_graph(vision.placeholder_weights(dims), self.config, "int8")
        with tempfile.TemporaryDirectory() as folder:
            summary = graph.save(folder, "vision_fused", mode="manifest")
            manifest = json.loads((Path(folder) / "vision_fused.manifest.json").read_text())
            self.assertFalse((Path(folder) / "vision_fused.onnx_data").exists())
        self.assertEqual(manifest["num_tensors"], len(graph.weights))
        self.assertEqual(manifest["data_file_bytes"], summary["data_file_bytes"])
        self.assertEqual({t["kind"] for t in manifest["tensors"]}, {"int8_random", "constant", "zeros", "ones", "normal"})

    def test_build_vision_graph_Raises_WhenActivationUnsupported(self):
        with self.assertRaises(ValueError):
            vision.VisionDims.from_config(dict(self.config, hidden_act="relu"))


if __name__ == "__main__":
    unittest.main()
