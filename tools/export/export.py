#!/usr/bin/env python3
"""Qwen3-VL (Hugging Face) -> QwenVL Studio model package (ONNX graphs + configs + tokenizer).

The decoder is written in the fused format (decoder_fused.onnx + onnx/fused.json, docs/fused-package.md) unless
--graph-format legacy / both asks for the raw torch export (decoder_model_merged.onnx, model-package.md §6).

Examples (see README.md):
  # real checkpoint, fp32 + int4 packages, each checked against PyTorch
  python3 tools/export/export.py --checkpoint ~/models/Qwen3-VL-2B-Instruct --out out/qwen3-vl-2b \\
      --precision fp32 int4 --verify
  # the embedded tiny package with its golden files
  python3 tools/export/export.py --tiny-random models/qwen3-vl-tiny/config.json --seed 1234 \\
      --out out/qwen3-vl-tiny --golden
  # graphs + weight manifests only (benchmark packages of a big shape)
  python3 tools/export/export.py --tiny-random shape/config.json --seed 0 --manifest-only \\
      --precision int8 int4 --out models/qwen3-vl-2b-shape
"""
import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

PRECISIONS = ("fp32", "int8", "int4")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", type=Path, help="local Hugging Face checkpoint folder (Qwen3-VL)")
    source.add_argument("--tiny-random", type=Path, metavar="CONFIG_JSON",
                        help="build a random-weight model of this config.json instead")
    parser.add_argument("--seed", type=int, default=1234, help="torch seed for --tiny-random (default 1234)")
    parser.add_argument("--out", type=Path, required=True,
                        help="package folder; with several --precision values, folders OUT-<precision>")
    parser.add_argument("--precision", nargs="+", choices=PRECISIONS, default=["fp32"])
    parser.add_argument("--block-size", type=int, choices=(16, 32, 64, 128), default=32, help="int4 block size")
    parser.add_argument("--int4-zero-points", action="store_true",
                        help="int4 with per-block zero points (default: symmetric, implicit zero point 8)")
    parser.add_argument("--accuracy-level", type=int, choices=(0, 1, 2, 3, 4), default=4,
                        help="MatMulNBits accuracy_level (4 = int8 activations on CPU, fastest)")
    parser.add_argument("--lm-head-precision", choices=("same",) + PRECISIONS, default="same")
    parser.add_argument("--embed-precision", choices=PRECISIONS, default="fp32",
                        help="embed_tokens graph (Gather) precision")
    parser.add_argument("--quantize-vision", action="store_true", help="quantize the vision encoder's MatMuls too")
    parser.add_argument("--tokenizer-from", type=Path, default=REPO / "models" / "qwen3-vl-tiny",
                        help="folder with tokenizer.json etc. when the source lacks them")
    parser.add_argument("--golden", action="store_true", help="write golden/ (fp32 package only)")
    parser.add_argument("--golden-images", type=Path, default=REPO / "models" / "qwen3-vl-tiny" / "golden",
                        help="folder with the golden PNGs (and tokenizer_golden.json)")
    parser.add_argument("--verify", action="store_true", help="compare every package with PyTorch")
    parser.add_argument("--verify-steps", type=int, default=None,
                        help="greedy tokens per case (default 16 fp32, 32 quantized)")
    parser.add_argument("--manifest-only", action="store_true",
                        help="write graphs + <graph>.manifest.json instead of weights")
    parser.add_argument("--external-data", choices=("auto", "external", "embedded"), default="auto",
                        help="weights in <graph>.onnx_data (auto: when over 100 MB)")
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads for --verify (0 = all)")
    parser.add_argument("--force", action="store_true", help="write into a non-empty --out folder")
    parser.add_argument("--graph-format", choices=("fused", "legacy", "both"), default="fused",
                        help="decoder graphs to write: fused (decoder_fused.onnx + onnx/fused.json, the default; "
                             "docs/fused-package.md), legacy (decoder_model_merged.onnx, model-package.md §6) or both "
                             "(implied by --golden / --verify, which compare the legacy decoder with PyTorch)")
    args = parser.parse_args(argv)
    if (args.golden or args.verify) and args.graph_format == "fused":
        # The PyTorch comparison (qvl_export/onnx_runner.py) runs the legacy decoder; the fused one is checked by
        # the engine's tests (tests/QwenVlStudio.Inference.Tests/Fused). So these packages hold both decoders.
        args.graph_format = "both"
    if args.manifest_only and (args.golden or args.verify):
        parser.error("--manifest-only writes no weights: --golden / --verify cannot run on it")
    if args.golden and "fp32" not in args.precision:
        parser.error("--golden needs the fp32 package (add fp32 to --precision)")
    source = args.checkpoint if args.checkpoint else args.tiny_random
    if not source.exists():
        parser.error(f"{source} does not exist")
    return args


def out_dirs(args):
    if len(args.precision) == 1:
        return {args.precision[0]: args.out}
    return {p: args.out.parent / f"{args.out.name}-{p}" for p in args.precision}


class BuildLog:
    def __init__(self):
        self.lines = []
        self.started = time.time()

    def __call__(self, message):
        line = f"[{time.time() - self.started:7.1f}s] {message}"
        self.lines.append(line)
        print(line, flush=True)

    def save(self, path):
        Path(path).write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def prepare_dir(path, force):
    path.mkdir(parents=True, exist_ok=True)
    if any(path.iterdir()) and not force:
        sys.exit(f"{path} is not empty; pass --force to write into it")
    (path / "onnx").mkdir(exist_ok=True)


def main(argv=None):
    args = parse_args(argv)
    from qvl_export import model_source, onnx_export, package_files, quantize
    from qvl_export.graph_kinds import graph_kinds, parameter_kinds
    from qvl_export.graph_surgery import clone
    from qvl_export.graph_writer import write_graph
    from qvl_export.verify import run_cases, versions

    log = BuildLog()
    log("versions: " + json.dumps(versions()))
    if args.checkpoint:
        model = model_source.load_checkpoint(args.checkpoint)
        sources = [args.checkpoint, args.tokenizer_from]
        log(f"loaded checkpoint {args.checkpoint}: {model_source.describe(model)}")
    else:
        model = model_source.load_tiny_random(args.tiny_random, args.seed)
        sources = [args.tiny_random.parent, args.tokenizer_from]
        log(f"random model of {args.tiny_random} seed {args.seed}: {model_source.describe(model)}")
    fp32_graphs = onnx_export.export_all(model, log)
    param_kinds = parameter_kinds(model) if args.manifest_only else None

    for precision, out in out_dirs(args).items():
        prepare_dir(out, args.force)
        log(f"== package {out} ({precision}{', manifest only' if args.manifest_only else ''})")
        package_files.write_config(model, out)
        package_files.copy_support_files(out, sources, log)
        options = argparse.Namespace(block_size=args.block_size, symmetric=not args.int4_zero_points,
                                     accuracy_level=args.accuracy_level, lm_head_precision=args.lm_head_precision)
        summaries = {}
        graph_format = args.graph_format
        if graph_format in ("fused", "both"):
            from qvl_export.fused.package import linear_for, write_fused_decoder
            try:
                linear_for(precision)
            except NotImplementedError as missing:
                log(f"note: {missing}; this {precision} package gets the legacy decoder only")
                graph_format = "legacy"
        if graph_format in ("fused", "both"):
            mode = "manifest" if args.manifest_only else args.external_data
            summaries["decoder_fused"] = write_fused_decoder(
                model, out / "onnx", precision, mode, log,
                {"block_size": args.block_size, "accuracy_level": args.accuracy_level})
        for name, graph in fp32_graphs.items():
            if name == "decoder_model_merged" and graph_format == "fused":
                continue
            renamed = {}
            if name == "embed_tokens" and args.embed_precision != "fp32" and precision != "fp32":
                log(f"quantizing {name} to {args.embed_precision}")
                graph = quantize.quantize_embedding(graph, args.embed_precision, options, log)
            elif precision != "fp32" and (name == "decoder_model_merged" or args.quantize_vision and
                                          name == "vision_encoder"):
                log(f"quantizing {name} to {precision}")
                graph, renamed = quantize.quantize_graph(graph, precision, options, log,
                                                         is_decoder=name == "decoder_model_merged")
            else:
                graph = clone(graph)
            kinds = graph_kinds(graph, renamed, param_kinds) if args.manifest_only else None
            mode = "manifest" if args.manifest_only else args.external_data
            summaries[name] = write_graph(graph, out / "onnx", name, mode, kinds)
            log(f"wrote {name}: {json.dumps(summaries[name])}")
        report = {"precision": precision, "graphs": summaries, "source": str(args.checkpoint or args.tiny_random),
                  "seed": None if args.checkpoint else args.seed,
                  "options": {"block_size": args.block_size, "int4_zero_points": args.int4_zero_points,
                              "accuracy_level": args.accuracy_level, "lm_head_precision": args.lm_head_precision,
                              "embed_precision": args.embed_precision, "quantize_vision": args.quantize_vision}}
        golden = args.golden and precision == "fp32"
        if golden or args.verify:
            steps = args.verify_steps or (16 if precision == "fp32" else 32)
            report["verify"] = run_cases(model, out, args.golden_images, steps, log,
                                         golden_dir=out / "golden" if golden else None, threads=args.threads)
        (out / "verify.json" if not args.manifest_only else out / "export_summary.json").write_text(
            json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        log.save(out / "build.log")
    log("done")


if __name__ == "__main__":
    main()
