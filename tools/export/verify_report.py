#!/usr/bin/env python3
"""Formats the verify.json files export.py writes as a Markdown table (for VERIFY.md). Plain Python.

    python3 tools/export/verify_report.py out/pkg-fp32/verify.json out/pkg-int4/verify.json
"""
import argparse
import json
from pathlib import Path

ROWS = [
    ("vision features, random pixels (4 grids), max abs", "vision_random_features_max_abs", "{:.2e}"),
    ("vision DeepStack, random pixels, max abs", "vision_random_deepstack_max_abs", "{:.2e}"),
    ("vision features / DeepStack, golden images, max abs", ("golden_image_features_max_abs",
                                                              "golden_image_deepstack_max_abs"), "{:.2e}"),
    ("prefill logits vs HF forward, max abs", "prefill_logits_max_abs", "{:.2e}"),
    ("prefill KV cache vs HF, max abs", "prefill_kv_max_abs", "{:.2e}"),
    ("logits of every step, teacher-forced on HF ids, max abs", "forced_logits_max_abs", "{:.2e}"),
    ("logits of every step, teacher-forced, mean abs", "forced_logits_mean_abs", "{:.2e}"),
    ("top-1 agreement per step, teacher-forced", "forced_top1_agreement", "{:.1%}"),
    ("free-running greedy ids equal to HF (position-wise)", "free_run_agreement", "{:.1%}"),
    ("cases whose greedy ids all match HF", ("greedy_ids_match_cases", "cases"), "{}/{}"),
    ("exported wrapper in PyTorch vs HF, prefill logits, max abs", "torch_wrapper_vs_hf_logits_max_abs", "{:.2e}"),
]


def cell(summary, key, fmt):
    if isinstance(key, tuple):
        values = [summary.get(k) for k in key]
        if fmt == "{}/{}":
            return fmt.format(*values)
        return " / ".join(fmt.format(v) for v in values)
    return fmt.format(summary[key])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+", type=Path)
    args = parser.parse_args()
    loaded = [json.loads(p.read_text(encoding="utf-8")) for p in args.reports]
    titles = []
    for report in loaded:
        options = report.get("options", {})
        title = report["precision"]
        if report["precision"] == "int4":
            title += f" (block {options.get('block_size')}, {'zero points' if options.get('int4_zero_points') else 'symmetric'}, acc {options.get('accuracy_level')})"
        if report["precision"] != "fp32" and options.get("lm_head_precision") not in (None, "same"):
            title += f", lm_head {options['lm_head_precision']}"
        if report["precision"] != "fp32" and options.get("quantize_vision"):
            title += ", vision quantized"
        if report["precision"] != "fp32" and options.get("embed_precision") not in (None, "fp32"):
            title += f", embed {options['embed_precision']}"
        titles.append(title)
    steps = {r["verify"]["steps"] for r in loaded}
    print(f"| check ({'/'.join(map(str, sorted(steps)))} greedy steps, 6 cases) | " + " | ".join(titles) + " |")
    print("|---|" + "---|" * len(loaded))
    for label, key, fmt in ROWS:
        print(f"| {label} | " + " | ".join(cell(r["verify"]["summary"], key, fmt) for r in loaded) + " |")
    batch = [r["verify"].get("batch2_leftpad_vs_batch1") for r in loaded]
    print("| batch 2 with left padding vs batch 1 (padded row / full row), max abs | " + " | ".join(
        "{:.2e} / {:.2e}".format(b["padded_row_max_abs"], b["full_row_max_abs"]) if b else "n/a" for b in batch) + " |")
    versions = loaded[0]["verify"]["versions"]
    print("\nVersions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))


if __name__ == "__main__":
    main()
