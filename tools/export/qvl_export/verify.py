"""--verify: the exported package in ONNX Runtime beside the PyTorch model (and --golden: write golden/)."""
import json
import platform
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from . import hf_reference as hf
from .cases import run_case, vision_position_tensors, write_golden_case
from .golden_cases import GOLDEN_CASES, GOLDEN_IMAGES
from .onnx_runner import OnnxPackage

RANDOM_GRIDS = [(1, 16, 20), (1, 12, 8), (1, 8, 8), (1, 28, 8)]


def versions():
    import onnx
    import onnxruntime
    import transformers

    return {"python": platform.python_version(), "torch": torch.__version__,
            "transformers": transformers.__version__, "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__, "numpy": np.__version__}


def vision_random_pixels(model, package):
    config = model.config.vision_config
    side = int(round(config.num_position_embeddings ** 0.5))
    row = config.in_channels * config.temporal_patch_size * config.patch_size ** 2
    generator = torch.Generator().manual_seed(7)
    results = {}
    for grid in RANDOM_GRIDS:
        count = grid[0] * grid[1] * grid[2]
        pixels = torch.rand(count, row, generator=generator) * 2 - 1
        feats, deep = hf.visual_outputs(model, pixels, torch.tensor([grid]))
        idx, weight, rotary = vision_position_tensors(grid[1], grid[2], side, config.spatial_merge_size)
        onnx_feats, onnx_deep = package.encode_image(pixels.numpy(), idx.numpy(), weight.numpy(), rotary.numpy())
        results[str(grid)] = {"features_max_abs": float(np.abs(onnx_feats - feats.numpy()).max()),
                              "deepstack_max_abs": float(np.abs(onnx_deep - deep.numpy()).max()),
                              "feature_absmax": float(feats.abs().max())}
    return results


def run_cases(model, package_dir, image_dir, steps, log, golden_dir=None, threads=0):
    """Runs the golden conversations; writes golden/ when golden_dir is given. Returns the report dict."""
    started = time.time()
    processor = hf.load_processor(package_dir)
    hf.apply_generation_config(model, package_dir)
    package = OnnxPackage(package_dir, threads)
    report = {"versions": versions(), "steps": steps, "vision_random_pixels": vision_random_pixels(model, package),
              "cases": {}}
    log(f"vision random pixels: {json.dumps(report['vision_random_pixels'])}")
    for case in GOLDEN_CASES:
        record, tensors = run_case(model, processor, package, case, image_dir, steps)
        report["cases"][case["case"]] = record
        report.setdefault("_tensors", {})[case["case"]] = tensors
        log(f"{case['case']}: " + json.dumps({k: v for k, v in record.items() if k not in (
            "messages", "prompt_text", "top5_ids_per_step", "top5_logits_per_step")}, ensure_ascii=False))
        if golden_dir is not None:
            write_golden_case(Path(golden_dir) / case["case"], record, tensors)
    if golden_dir is not None:
        for name in GOLDEN_IMAGES + ["tokenizer_golden.json"]:
            source = Path(image_dir) / name
            if source.is_file():
                shutil.copyfile(source, Path(golden_dir) / name)
    report["batch2_leftpad_vs_batch1"] = batch_left_padding(package, report)
    report["summary"] = summarize(report)
    report.pop("_tensors", None)
    report["seconds"] = round(time.time() - started, 1)
    log("batch 2 with left padding vs batch 1: " + json.dumps(report["batch2_leftpad_vs_batch1"]))
    log("summary: " + json.dumps(report["summary"]))
    return report


def batch_left_padding(package, report):
    """Two prompts of different lengths in one batch, the shorter left-padded: each row's last logits must equal
    its batch-1 logits (§6 mask semantics). Uses the text-only case and the two-turn image case."""
    short, long_ = _prefill_feeds(package, report, "case4_text_only"), _prefill_feeds(package, report,
                                                                                  "case3_tiny_two_turn")
    if short is None or long_ is None:
        return None
    pad = long_["embeds"].shape[1] - short["embeds"].shape[1]
    embeds = np.concatenate([np.pad(short["embeds"], ((0, 0), (pad, 0), (0, 0))), long_["embeds"]])
    mask = np.concatenate([np.pad(np.ones((1, short["embeds"].shape[1]), np.int64), ((0, 0), (pad, 0))),
                           np.ones((1, long_["embeds"].shape[1]), np.int64)])
    positions = np.concatenate([np.pad(short["positions"], ((0, 0), (0, 0), (pad, 0)), constant_values=1),
                                long_["positions"]], axis=1)
    deep = np.concatenate([np.pad(short["deep"], ((0, 0), (0, 0), (pad, 0), (0, 0))), long_["deep"]], axis=1)
    empty = np.zeros((2, package.kv_heads, 0, package.head_dim), np.float32)
    logits, _ = package.step(embeds, mask, positions, deep, [empty] * (2 * package.num_layers))
    single = [package.step(f["embeds"], np.ones(f["embeds"].shape[:2], np.int64), f["positions"], f["deep"],
                           [empty[:1]] * (2 * package.num_layers))[0][0] for f in (short, long_)]
    return {"padded_row_max_abs": float(np.abs(logits[0] - single[0]).max()),
            "full_row_max_abs": float(np.abs(logits[1] - single[1]).max())}


def _prefill_feeds(package, report, case_name):
    tensors = report.get("_tensors", {}).get(case_name)
    if tensors is None:
        return None
    return {"embeds": tensors["inputs_embeds"], "positions": tensors["position_ids"], "deep": tensors["deepstack_embeds"]}


def summarize(report):
    cases = report["cases"].values()
    vision = report["vision_random_pixels"].values()
    image_keys = [k for c in cases for k in c if k.startswith("image") and k.endswith("_features")]
    return {
        "vision_random_features_max_abs": max(v["features_max_abs"] for v in vision),
        "vision_random_deepstack_max_abs": max(v["deepstack_max_abs"] for v in vision),
        "golden_image_features_max_abs": max([c[k] for c in cases for k in c
                                              if k.startswith("image") and k.endswith("_features")], default=0.0),
        "golden_image_deepstack_max_abs": max([c[k] for c in cases for k in c
                                               if k.startswith("image") and k.endswith("_deepstack")], default=0.0),
        "prefill_logits_max_abs": max(c["prefill_onnx_vs_hf_logits"] for c in cases),
        "prefill_kv_max_abs": max(c["prefill_onnx_vs_hf_kv"] for c in cases),
        "forced_logits_max_abs": max(c["onnx_forced_vs_hf_logits_max_abs"] for c in cases),
        "forced_logits_mean_abs": float(np.mean([c["onnx_forced_vs_hf_logits_mean_abs"] for c in cases])),
        "greedy_ids_match_cases": sum(bool(c["onnx_ids_match_hf"]) for c in cases),
        "cases": len(report["cases"]),
        "free_run_agreement": float(np.mean([c["onnx_free_run_agreement"] for c in cases])),
        "forced_top1_agreement": float(np.mean([c["onnx_forced_top1_agreement"] for c in cases])),
        "torch_wrapper_vs_hf_logits_max_abs": max(c["prefill_torch_wrapper_vs_hf_logits"] for c in cases),
        "rope_index_equal_hf_all": all(c["rope_index_equal_hf"] is True for c in cases),
        "processor_ids_equal_manual_all": all(c["processor_ids_equal_manual"] for c in cases),
        "deepstack_changes_ids_cases": sum(bool(c.get("deepstack_changes_ids")) for c in cases),
        "image_keys": len(image_keys),
    }
