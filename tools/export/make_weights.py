#!/usr/bin/env python3
"""Regenerates the weight file of a graph shipped without weights, from its manifest (model-package.md §10).

    python3 tools/export/make_weights.py models/qwen3-vl-2b-shape-int4/onnx/decoder_model_merged.manifest.json

Writes `<data_file>` beside the manifest (random weights: for benchmarks only). Needs numpy.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qvl_export.graph_writer import fill_tensor, sha256_file  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("manifests", nargs="+", help="<graph>.manifest.json files")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for path in map(Path, args.manifests):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        graph = path.parent / manifest["graph"]
        if graph.is_file() and sha256_file(graph) != manifest["graph_sha256"]:
            sys.exit(f"{graph} does not match the sha256 in {path}: graph and manifest belong to different exports")
        rng = np.random.default_rng(args.seed)
        target = path.parent / manifest["data_file"]
        with open(target, "wb") as data:
            data.truncate(manifest["data_file_bytes"])
            for spec in manifest["tensors"]:
                data.seek(spec["offset"])
                data.write(fill_tensor(spec, rng))
        print(f"wrote {target} ({manifest['data_file_bytes'] / 1e9:.3f} GB, {manifest['num_tensors']} tensors)")


if __name__ == "__main__":
    main()
