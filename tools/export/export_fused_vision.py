#!/usr/bin/env python3
"""Writes the fused vision encoder (`onnx/vision_fused.onnx`, docs/fused-package.md) without torch.

  tiny       weights read back from a package's legacy onnx/vision_encoder.onnx (the embedded tiny package):
             writes onnx/vision_fused.onnx (fp32) and onnx/vision_fused_int8.onnx (the vision_precision int8
             variant, kept beside it for the engine's agreement tests)
  manifest   no weights: graph + onnx/vision_fused.manifest.json for a config (2B-shape benchmark packages);
             `qwenvl make-weights` fills the weights
  fixtures   single-linear-layer graphs + reference tensors for the C# tests of the quantized emitters

Runs with Debian's python3 + python3-onnx + numpy (no onnxruntime needed).
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qvl_export.fused import vision, vision_linear_fixtures, vision_weights  # noqa: E402

VISION_GRAPH = "vision_fused"
SMALL_FILES = ("config.json", "generation_config.json", "preprocessor_config.json", "chat_template.jinja",
               "chat_template.json", "tokenizer.json", "tokenizer_config.json", "TOKENIZER_LICENSE")


def _vision_config(package):
    return json.loads((Path(package) / "config.json").read_text(encoding="utf-8"))["vision_config"]


def export_tiny(package, block_size, log=print):
    package = Path(package)
    config = _vision_config(package)
    weights, aliases = vision_weights.read_legacy_vision_weights(package / "onnx" / "vision_encoder.onnx")
    log(f"{len(weights) - len(aliases)} legacy initializers, {len(aliases)} merged names resolved through Identity")
    for precision, name in (("fp32", VISION_GRAPH), ("int8", f"{VISION_GRAPH}_int8")):
        summary = vision.build_vision_graph(weights, config, precision, block_size).save(package / "onnx", name)
        log(f"{name}.onnx ({precision}): {summary['nodes']} nodes {summary['ops']}")


def write_fused_marker(out, precision, vision_precision, block_size, accuracy_level=4):
    """onnx/fused.json as docs/fused-package.md specifies (the decoder exporter writes the same keys)."""
    marker = {"format": "qwenvl-fused", "version": 1, "precision": precision, "vision_precision": vision_precision,
              "block_size": block_size, "accuracy_level": accuracy_level, "kv_dtype": "float32"}
    path = Path(out) / "onnx" / "fused.json"
    path.write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    return path


def export_manifest(config_dir, out, precision, block_size, package_precision=None, log=print):
    config_dir, out = Path(config_dir), Path(out)
    config = _vision_config(config_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in SMALL_FILES:
        source = config_dir / name
        target = out / name
        if target.is_symlink() or target.exists():
            target.unlink()
        if source.is_symlink():     # keep the relative link to the tiny package's tokenizer (as 2b-shape does)
            target.symlink_to(source.readlink())
        else:
            shutil.copyfile(source, target)
    weights = vision.placeholder_weights(vision.VisionDims.from_config(config))
    graph = vision.build_vision_graph(weights, config, precision, block_size)
    summary = graph.save(out / "onnx", VISION_GRAPH, mode="manifest")
    write_fused_marker(out, package_precision or precision, precision, block_size)
    log(f"{out}/onnx/{VISION_GRAPH}.onnx ({precision}): {summary['nodes']} nodes, "
        f"{summary['data_file_bytes'] / 1e9:.3f} GB of weights in the manifest, {summary['ops']}")
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    tiny = sub.add_parser("tiny")
    tiny.add_argument("--package", default="models/qwen3-vl-tiny")
    manifest = sub.add_parser("manifest")
    manifest.add_argument("--config-from", default="models/qwen3-vl-2b-shape",
                          help="package whose config/tokenizer/template files are copied")
    manifest.add_argument("--out", required=True)
    manifest.add_argument("--precision", choices=("fp32", "int8", "int4"), default="fp32",
                          help="vision_precision: the vision graph's linear layers")
    manifest.add_argument("--package-precision", choices=("fp32", "int8", "int4"),
                          help="the decoder's precision recorded in onnx/fused.json (default: --precision)")
    fixtures = sub.add_parser("fixtures")
    fixtures.add_argument("--out", default="tests/QwenVlStudio.Inference.Tests/Fused/VisionLinearData")
    for p in (tiny, manifest):
        p.add_argument("--block-size", type=int, default=32)
    args = parser.parse_args(argv)
    if args.command == "tiny":
        export_tiny(args.package, args.block_size)
    elif args.command == "manifest":
        export_manifest(args.config_from, args.out, args.precision, args.block_size, args.package_precision)
    else:
        print(vision_linear_fixtures.write_fixtures(args.out))


if __name__ == "__main__":
    main()
