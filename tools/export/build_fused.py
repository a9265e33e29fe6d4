#!/usr/bin/python3
"""Builds the fused decoder graph (docs/fused-package.md) with onnx + numpy only (no torch, no onnxruntime).

  --from-package models/qwen3-vl-tiny
      weights from the package's legacy decoder_model_merged.onnx (merged initializers resolved through their
      Identity aliases, §10); writes onnx/decoder_fused.onnx (weights embedded) and onnx/fused.json into it.
  --manifest-only --config models/qwen3-vl-2b-shape/config.json --out models/qwen3-vl-2b-fused [--copy-from DIR]
      a graph without weights + decoder_fused.manifest.json (`qwenvl make-weights` fills it); --copy-from copies
      the other package files and graphs (default: the config's folder).
  --precision fp32|int8|int4 (default fp32): int8 / int4 quantize every projection and the tied lm_head
      (qvl_export/fused/decoder_quant.py); --int8-kernel dqmm (DynamicQuantizeMatMul, default) | nbits
      (MatMulNBits bits 8). --graph-name writes another file name (the tiny package keeps its quantized
      decoders beside the fp32 one: decoder_fused_int8_dqmm.onnx, decoder_fused_int8_nbits.onnx,
      decoder_fused_int4.onnx) and leaves fused.json alone; `--graph-name decoder_fused_prefill --precision int8`
      adds the int4 package's 8-bit prompt-chunk graph (docs/fused-package.md).
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qvl_export.fused import text_dims, weights as fw, writer  # noqa: E402
from qvl_export.fused.decoder import build_decoder  # noqa: E402
from qvl_export.fused.decoder_quant import INT8_KERNELS, linear_for, lm_head_for  # noqa: E402
from qvl_export.fused.quant import PRECISIONS  # noqa: E402

GRAPH = "decoder_fused"
LEGACY_DECODER = "decoder_model_merged"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-package", type=Path, help="package whose legacy decoder holds embedded weights")
    source.add_argument("--manifest-only", action="store_true", help="no weights: graph + manifest")
    parser.add_argument("--config", type=Path, help="config.json (--manifest-only)")
    parser.add_argument("--out", type=Path, help="output package (--manifest-only; default: --from-package)")
    parser.add_argument("--copy-from", type=Path, help="package to copy non-decoder files from (--manifest-only)")
    parser.add_argument("--precision", choices=PRECISIONS, default="fp32")
    parser.add_argument("--int8-kernel", choices=INT8_KERNELS, default="dqmm")
    parser.add_argument("--block-size", type=int, default=32)
    parser.add_argument("--accuracy-level", type=int, default=4)
    parser.add_argument("--vision-precision", choices=("fp32", "int8"),
                        help="fused.json's vision_precision (default: keep the existing file's, else fp32)")
    parser.add_argument("--graph-name", default=GRAPH, help="decoder file name without .onnx (default decoder_fused)")
    return parser.parse_args(argv)


def _build(weights, dims, args):
    options = dict(block_size=args.block_size, accuracy_level=args.accuracy_level, int8_kernel=args.int8_kernel)
    return build_decoder(weights, dims, linear=linear_for(args.precision, **options),
                         lm_head=lm_head_for(args.precision, **options))


def _vision_precision(onnx_dir, args):
    if args.vision_precision:
        return args.vision_precision
    existing = onnx_dir / "fused.json"
    return json.loads(existing.read_text())["vision_precision"] if existing.exists() else "fp32"


def _copy_package(source, out):
    """Everything of `source` except the legacy decoder (its graph, manifest, data) and build reports."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "onnx").mkdir(exist_ok=True)
    for item in source.iterdir():
        if item.is_file() and item.name not in ("export_summary.json", "verify.json", "build.log"):
            target = out / item.name
            link = os.readlink(item) if item.is_symlink() else None
            if link and not os.path.isabs(link) and (out / link).exists():
                # Keep links (the 2B-shape packages share the tiny package's tokenizer) instead of 11 MB copies.
                if target.is_symlink() or target.exists():
                    target.unlink()
                target.symlink_to(link)
            else:
                shutil.copyfile(item, target)
    for item in (source / "onnx").iterdir():
        if item.name.startswith(LEGACY_DECODER) or item.name.endswith(".onnx_data"):
            continue
        shutil.copyfile(item, out / "onnx" / item.name)


def main(argv=None):
    args = parse_args(argv)
    if args.from_package:
        package = args.from_package
        out = args.out or package
        dims = text_dims.load(package / "config.json")
        weights, aliases = fw.from_legacy_graph(package / "onnx" / f"{LEGACY_DECODER}.onnx", dims)
        print(f"resolved {len(weights)} weights, {len(aliases)} through Identity aliases of merged initializers:")
        for alias, source in sorted(aliases.items()):
            print(f"  {alias} <- {source}")
        summary = writer.write_graph(_build(weights, dims, args), out / "onnx", args.graph_name, "embedded")
    else:
        if not args.config or not args.out:
            sys.exit("--manifest-only needs --config and --out")
        dims = text_dims.load(args.config)
        source = args.copy_from or args.config.parent
        if source.resolve() != args.out.resolve():  # rebuilding a package's decoder in place copies nothing
            _copy_package(source, args.out)
        out = args.out
        summary = writer.write_graph(_build(fw.shape_specs(dims), dims, args), out / "onnx", args.graph_name, "manifest")
    print(f"wrote {out / 'onnx' / args.graph_name}.onnx: {json.dumps(summary)}")
    if args.graph_name != GRAPH:
        return
    info = writer.write_fused_json(out / "onnx", precision=args.precision,
                                   vision_precision=_vision_precision(out / "onnx", args),
                                   block_size=args.block_size, accuracy_level=args.accuracy_level)
    print(f"wrote {out / 'onnx' / 'fused.json'}: {json.dumps(info)}")


if __name__ == "__main__":
    main()
