"""The int8 / int4 2B-shape packages in models/ are graphs + manifests only; these facts check that every manifest
describes a consistent, fillable data file and belongs to the graph beside it."""
import hashlib
import json
import unittest

from support import REPO_ROOT
from qvl_export import manifest as mf

PACKAGES = [REPO_ROOT / "models" / "qwen3-vl-2b-shape-int8", REPO_ROOT / "models" / "qwen3-vl-2b-shape-int4"]
GRAPHS = ["vision_encoder", "embed_tokens", "decoder_model_merged"]


def _manifests():
    for package in PACKAGES:
        for graph in GRAPHS:
            path = package / "onnx" / f"{graph}.manifest.json"
            yield path, json.loads(path.read_text(encoding="utf-8"))


class CommittedManifestFacts(unittest.TestCase):
    def test_manifests_HaveAlignedNonOverlappingTensors_WhenCommitted(self):
        for path, manifest in _manifests():
            with self.subTest(manifest=str(path)):
                end = 0
                for tensor in manifest["tensors"]:
                    self.assertEqual(tensor["offset"] % manifest["alignment"], 0, tensor["name"])
                    self.assertGreaterEqual(tensor["offset"], end, tensor["name"])
                    self.assertEqual(tensor["length"], mf.tensor_bytes(tensor["dtype"], tensor["shape"]))
                    self.assertIn(tensor["kind"], mf.KIND_LEGEND)
                    end = tensor["offset"] + tensor["length"]
                self.assertEqual(end, manifest["data_file_bytes"])
                self.assertEqual(len(manifest["tensors"]), manifest["num_tensors"])

    def test_manifests_MatchTheirGraphFile_WhenHashed(self):
        for path, manifest in _manifests():
            with self.subTest(manifest=str(path)):
                digest = hashlib.sha256((path.parent / manifest["graph"]).read_bytes()).hexdigest()
                self.assertEqual(digest, manifest["graph_sha256"])

    def test_int4_decoder_PacksTwoCodesPerByte_WhenMatMulNBitsWeights(self):
        manifest = json.loads((PACKAGES[1] / "onnx" / "decoder_model_merged.manifest.json").read_text("utf-8"))
        packed = [t for t in manifest["tensors"] if t["kind"] == "uint4_packed_random"]
        scales = {t["name"]: t for t in manifest["tensors"] if t["kind"] == "constant"}
        self.assertEqual(len(packed), 197)  # 28 layers x 7 projections + the tied lm_head
        for tensor in packed:
            n, blocks, blob = tensor["shape"]
            self.assertEqual(tensor["dtype"], "uint8")
            self.assertEqual(blob * 2, 32)  # block size 32, two 4-bit codes per byte
            scale = scales[tensor["name"][:-len("_Q4")] + "_scales"]
            self.assertEqual(scale["shape"], [n, blocks])

    def test_int8_decoder_HasSymmetricInt8Weights_WhenDynamicQuantization(self):
        manifest = json.loads((PACKAGES[0] / "onnx" / "decoder_model_merged.manifest.json").read_text("utf-8"))
        kinds = {}
        for tensor in manifest["tensors"]:
            kinds.setdefault(tensor["kind"], []).append(tensor)
        self.assertEqual(len(kinds["int8_random"]), 197)
        self.assertTrue(all(t["dtype"] == "int8" for t in kinds["int8_random"]))
        self.assertTrue(all(t["name"].endswith("_zero_point") for t in kinds["zeros"]))


if __name__ == "__main__":
    unittest.main()
