#!/usr/bin/env python3
"""Compares two model packages file by file: configs, graph weights, graph outputs on the golden inputs, and
every golden tensor. Used to check that the exporter regenerates the shared tiny package.

    python3 tools/export/compare_packages.py NEW_PACKAGE REFERENCE_PACKAGE [--json report.json]
"""
import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

GRAPHS = ["vision_encoder", "embed_tokens", "decoder_model_merged"]
TEXT_FILES = ["generation_config.json", "preprocessor_config.json", "chat_template.jinja", "chat_template.json",
              "tokenizer.json", "tokenizer_config.json", "TOKENIZER_LICENSE"]


def compare_files(new, ref):
    report = {}
    for name in TEXT_FILES:
        a, b = new / name, ref / name
        report[name] = "missing" if not a.is_file() else ("identical" if a.read_bytes() == b.read_bytes()
                                                          else "differs")
    a = json.loads((new / "config.json").read_text(encoding="utf-8"))
    b = json.loads((ref / "config.json").read_text(encoding="utf-8"))
    report["config.json"] = "identical" if (new / "config.json").read_bytes() == (ref / "config.json").read_bytes() \
        else ("same JSON" if a == b else f"differs: {sorted(_diff_keys(a, b))}")
    return report


def _diff_keys(a, b, prefix=""):
    keys = set(a) | set(b)
    for key in keys:
        va, vb = a.get(key), b.get(key)
        if isinstance(va, dict) and isinstance(vb, dict):
            yield from _diff_keys(va, vb, f"{prefix}{key}.")
        elif va != vb:
            yield f"{prefix}{key}: {va!r} vs {vb!r}"


def compare_weights(new, ref):
    report = {}
    for graph in GRAPHS:
        a = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(new / "onnx" / f"{graph}.onnx")).graph.initializer}
        model_b = onnx.load(str(ref / "onnx" / f"{graph}.onnx"))
        b = {t.name: numpy_helper.to_array(t) for t in model_b.graph.initializer}
        common = sorted(set(a) & set(b))
        diffs = [float(np.abs(a[n].astype(np.float64) - b[n].astype(np.float64)).max()) if a[n].shape == b[n].shape
                 else float("inf") for n in common]
        report[graph] = {"initializers_new": len(a), "initializers_ref": len(b), "common": len(common),
                         "only_new": sorted(set(a) - set(b))[:10], "only_ref": sorted(set(b) - set(a))[:10],
                         "max_abs_diff": max(diffs, default=0.0),
                         "bit_identical": all(d == 0.0 for d in diffs) and len(common) == len(a) == len(b),
                         "nodes_new": len(onnx.load(str(new / "onnx" / f"{graph}.onnx")).graph.node),
                         "nodes_ref": len(model_b.graph.node)}
    return report


def _session(package, graph):
    return ort.InferenceSession(str(package / "onnx" / f"{graph}.onnx"), providers=["CPUExecutionProvider"])


def compare_outputs(new, ref, golden):
    """Runs both packages' graphs on the reference golden inputs."""
    report = {}
    sessions = {p: {g: _session(p, g) for g in GRAPHS} for p in (new, ref)}
    for case in sorted(d for d in golden.iterdir() if d.is_dir()):
        load = lambda name: np.load(case / f"{name}.npy")  # noqa: E731
        row = {}
        i = 0
        while (case / f"vision_pos_embed_idx_{i}.npy").is_file():
            grids = load("image_grid_thw")
            start = int(sum(int(np.prod(g)) for g in grids[:i]))
            count = int(np.prod(grids[i]))
            feeds = {"pixel_values": load("pixel_values")[start:start + count],
                     "pos_embed_idx": load(f"vision_pos_embed_idx_{i}"),
                     "pos_embed_weight": load(f"vision_pos_embed_weight_{i}"),
                     "rotary_pos_ids": load(f"vision_rotary_pos_ids_{i}")}
            outs = [sessions[p]["vision_encoder"].run(None, feeds) for p in (new, ref)]
            row[f"image{i}_features"] = float(np.abs(outs[0][0] - outs[1][0]).max())
            row[f"image{i}_deepstack"] = float(np.abs(outs[0][1] - outs[1][1]).max())
            i += 1
        embeds = [sessions[p]["embed_tokens"].run(None, {"input_ids": load("input_ids")})[0] for p in (new, ref)]
        row["embed_tokens"] = float(np.abs(embeds[0] - embeds[1]).max())
        decoder = sessions[new]["decoder_model_merged"]
        layers = sum(1 for x in decoder.get_inputs() if x.name.startswith("past_key_values.")) // 2
        kv_shape = decoder.get_inputs()[4].shape
        feeds = {"inputs_embeds": load("inputs_embeds"), "attention_mask": load("attention_mask"),
                 "position_ids": load("position_ids"), "deepstack_embeds": load("deepstack_embeds")}
        for layer in range(layers):
            for kind in ("key", "value"):
                feeds[f"past_key_values.{layer}.{kind}"] = np.zeros((1, kv_shape[1], 0, kv_shape[3]), np.float32)
        outs = [sessions[p]["decoder_model_merged"].run(None, feeds) for p in (new, ref)]
        row["prefill_logits"] = float(np.abs(outs[0][0] - outs[1][0]).max())
        row["prefill_kv"] = max(float(np.abs(a - b).max()) for a, b in zip(outs[0][1:], outs[1][1:]))
        report[case.name] = row
    return report


def compare_golden(new, ref):
    report = {}
    for case in sorted(d for d in ref.iterdir() if d.is_dir()):
        row = {}
        for npy in sorted(case.glob("*.npy")):
            other = new / case.name / npy.name
            if not other.is_file():
                row[npy.stem] = "missing"
                continue
            a, b = np.load(other), np.load(npy)
            if a.shape != b.shape or a.dtype != b.dtype:
                row[npy.stem] = f"shape/dtype {a.shape} {a.dtype} vs {b.shape} {b.dtype}"
            elif np.issubdtype(a.dtype, np.integer):
                row[npy.stem] = "equal" if np.array_equal(a, b) else f"{int((a != b).sum())} values differ"
            else:
                row[npy.stem] = float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max())
        meta_new = json.loads((new / case.name / "case.json").read_text(encoding="utf-8"))
        meta_ref = json.loads((case / "case.json").read_text(encoding="utf-8"))
        for key in ("prompt_text", "num_tokens", "rope_delta", "image_grid_thw", "generated_ids", "generated_text",
                    "top5_ids_per_step", "onnx_generated_ids", "ids_without_deepstack"):
            row[f"case.{key}"] = "equal" if meta_new.get(key) == meta_ref.get(key) else "differs"
        row["case.top5_logits_max_abs"] = float(np.abs(np.array(meta_new["top5_logits_per_step"]) -
                                                       np.array(meta_ref["top5_logits_per_step"])).max())
        report[case.name] = row
    for name in ("tokenizer_golden.json",):
        row = (new / name).read_bytes() == (ref / name).read_bytes() if (new / name).is_file() else "missing"
        report[name] = "identical" if row is True else row
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("new", type=Path)
    parser.add_argument("reference", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = {"files": compare_files(args.new, args.reference),
              "weights": compare_weights(args.new, args.reference),
              "graph_outputs_on_reference_golden": compare_outputs(args.new, args.reference,
                                                                   args.reference / "golden"),
              "golden": compare_golden(args.new / "golden", args.reference / "golden")}
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
