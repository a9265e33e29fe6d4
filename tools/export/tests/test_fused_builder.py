"""The fused decoder builder (qvl_export/fused): weight resolution from the legacy tiny graph, the graph's contract
(docs/fused-package.md), the writers, and the committed fused packages being what the builder writes."""
import collections
import hashlib
import json
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

from support import REPO_ROOT, TINY_PACKAGE
from qvl_export.fused import text_dims, weights as fw, writer
from qvl_export.fused.decoder import build_decoder, required_weights

LEGACY_DECODER = TINY_PACKAGE / "onnx" / "decoder_model_merged.onnx"
FUSED_2B = REPO_ROOT / "models" / "qwen3-vl-2b-fused"
WEIGHT_WRITER_KINDS = {"ones", "zeros", "normal", "constant"}  # float32 kinds WeightWriter.cs fills


class FusedBuilderFacts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dims = text_dims.load(TINY_PACKAGE / "config.json")
        cls.weights, cls.aliases = fw.from_legacy_graph(LEGACY_DECODER, cls.dims)

    def test_fromLegacyGraph_ResolvesMergedNormsThroughIdentityAliases(self):
        self.assertEqual(set(self.weights), set(required_weights(self.dims)))
        # Every alias is a norm weight of ones standing for the one initializer the legacy exporter kept.
        self.assertEqual(len(self.aliases), 11)
        for alias, source in self.aliases.items():
            self.assertTrue(alias.endswith("norm.weight"), alias)
            np.testing.assert_array_equal(self.weights[alias], self.weights[source])

    def test_fromLegacyGraph_Throws_WhenANameIsNeitherInitializerNorAlias(self):
        model = onnx.load(str(LEGACY_DECODER))
        for node in model.graph.node:
            if node.op_type == "Identity" and node.output[0].endswith("layers.2.self_attn.k_norm.weight"):
                node.output[0] = "renamed"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "decoder.onnx"
            onnx.save_model(model, str(path))
            with self.assertRaisesRegex(fw.WeightResolutionError, "layers.2.self_attn.k_norm.weight"):
                fw.from_legacy_graph(path, self.dims)

    def test_buildDecoder_HasTheContractsPortsAndAFewFusedNodesPerLayer(self):
        model = build_decoder(self.weights, self.dims).to_model([])
        inputs = [i.name for i in model.graph.input]
        outputs = [o.name for o in model.graph.output]
        layers = self.dims.layers
        self.assertEqual(inputs[:6], ["inputs_embeds", "deepstack_embeds", "rope_cos", "rope_sin", "seqlens_k",
                                      "total_sequence_length"])
        self.assertEqual(inputs[6:], [f"past_{kv}.{i}" for i in range(layers) for kv in ("key", "value")])
        self.assertEqual(outputs, ["logits"] + [f"present_{kv}.{i}" for i in range(layers) for kv in ("key", "value")])
        ops = collections.Counter(n.op_type for n in model.graph.node)
        self.assertEqual(ops["GroupQueryAttention"], layers)
        self.assertEqual(ops["RotaryEmbedding"], 2 * layers)
        self.assertEqual(ops["MatMul"], 4 * layers)  # packed QKV, o_proj, packed gate/up, down
        self.assertEqual(ops["Gemm"], 1)  # tied lm_head reads the embedding as is
        self.assertNotIn("Transpose", ops)
        self.assertLess(len(model.graph.node), 30 * layers)
        gqa = next(n for n in model.graph.node if n.op_type == "GroupQueryAttention")
        attrs = {a.name: helper.get_attribute_value(a) for a in gqa.attribute}
        self.assertEqual(attrs["do_rotary"], 0)
        self.assertAlmostEqual(attrs["scale"], self.dims.head_dim ** -0.5, places=6)

    def test_buildDecoder_Throws_WhenAWeightHasTheWrongShape(self):
        broken = dict(self.weights)
        broken["model.language_model.layers.1.mlp.down_proj.weight"] = np.zeros((16, 31), np.float32)
        with self.assertRaisesRegex(ValueError, "down_proj"):
            build_decoder(broken, self.dims)

    def test_externalWriter_StoresTheSameTensorsAsEmbedded(self):
        with tempfile.TemporaryDirectory() as tmp:
            writer.write_graph(build_decoder(self.weights, self.dims), Path(tmp) / "a", "decoder_fused", "embedded")
            summary = writer.write_graph(build_decoder(self.weights, self.dims), Path(tmp) / "b", "decoder_fused",
                                         "external")
            embedded = {t.name: numpy_helper.to_array(t)
                        for t in onnx.load(str(Path(tmp) / "a" / "decoder_fused.onnx")).graph.initializer}
            external = {t.name: numpy_helper.to_array(t)
                        for t in onnx.load(str(Path(tmp) / "b" / "decoder_fused.onnx")).graph.initializer}
        self.assertGreater(summary["tensors"], 0)
        self.assertEqual(embedded.keys(), external.keys())
        for name in embedded:
            np.testing.assert_array_equal(embedded[name], external[name], err_msg=name)

    def test_committedTinyFusedGraph_IsWhatTheBuilderWrites(self):
        with tempfile.TemporaryDirectory() as tmp:
            writer.write_graph(build_decoder(self.weights, self.dims), tmp, "decoder_fused", "embedded")
            rebuilt = (Path(tmp) / "decoder_fused.onnx").read_bytes()
        committed = (TINY_PACKAGE / "onnx" / "decoder_fused.onnx").read_bytes()
        self.assertEqual(hashlib.sha256(rebuilt).hexdigest(), hashlib.sha256(committed).hexdigest())

    def test_committed2bFusedManifest_MatchesItsGraphAndUsesFillableKinds(self):
        manifest = json.loads((FUSED_2B / "onnx" / "decoder_fused.manifest.json").read_text(encoding="utf-8"))
        graph = FUSED_2B / "onnx" / "decoder_fused.onnx"
        self.assertEqual(manifest["graph_sha256"], hashlib.sha256(graph.read_bytes()).hexdigest())
        self.assertLessEqual({t["kind"] for t in manifest["tensors"]}, WEIGHT_WRITER_KINDS)
        self.assertEqual({t["dtype"] for t in manifest["tensors"]}, {"float32"})
        externals = {t.name for t in onnx.load(str(graph), load_external_data=False).graph.initializer
                     if t.data_location == onnx.TensorProto.EXTERNAL}
        self.assertEqual(externals, {t["name"] for t in manifest["tensors"]})
        dims = text_dims.load(FUSED_2B / "config.json")
        # The legacy decoder's parameters, plus the norm weights its exporter merged (random init: one tensor of
        # ones per shape, §10) that the fused graph keeps one per module.
        legacy = json.loads((REPO_ROOT / "models" / "qwen3-vl-2b-shape" / "onnx" /
                             "decoder_model_merged.manifest.json").read_text(encoding="utf-8"))
        norms = dims.layers * (2 * dims.hidden + 2 * dims.head_dim) + dims.hidden
        merged_norms = norms - (dims.hidden + dims.head_dim)
        self.assertEqual(manifest["num_parameters"], legacy["num_parameters"] + merged_norms)
        self.assertEqual(dims.layers, 28)
        self.assertEqual(json.loads((FUSED_2B / "onnx" / "fused.json").read_text())["format"], "qwenvl-fused")


if __name__ == "__main__":
    unittest.main()
