#!/usr/bin/env python3
"""Fills a manifest-only package with random weights (make_weights.py) and runs one prefill + 4 decode steps of
its decoder, the vision encoder on one small image and the embedding, checking every output is finite.

    python3 tools/export/check_regenerated.py PACKAGE_DIR [--prompt-tokens 64]
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path)
    parser.add_argument("--prompt-tokens", type=int, default=64)
    args = parser.parse_args()
    from qvl_export.vision_math import vision_position_inputs

    onnx_dir = args.package / "onnx"
    manifests = sorted(str(p) for p in onnx_dir.glob("*.manifest.json"))
    subprocess.run([sys.executable, str(HERE / "make_weights.py"), *manifests], check=True)
    config = json.loads((args.package / "config.json").read_text(encoding="utf-8"))
    text, vision = config["text_config"], config["vision_config"]
    report = {}
    started = time.time()
    embed = ort.InferenceSession(str(onnx_dir / "embed_tokens.onnx"), providers=["CPUExecutionProvider"])
    ids = np.arange(1000, 1000 + args.prompt_tokens, dtype=np.int64).reshape(1, -1)
    embeds = embed.run(None, {"input_ids": ids})[0]
    report["embed_finite"] = bool(np.isfinite(embeds).all())
    side = int(round(vision["num_position_embeddings"] ** 0.5))
    idx, weight, rotary = vision_position_inputs(8, 8, side, vision["spatial_merge_size"])
    vis = ort.InferenceSession(str(onnx_dir / "vision_encoder.onnx"), providers=["CPUExecutionProvider"])
    row = vision["in_channels"] * vision["temporal_patch_size"] * vision["patch_size"] ** 2
    feats, deep = vis.run(None, {"pixel_values": np.random.default_rng(0).uniform(-1, 1, (64, row)).astype(np.float32),
                                 "pos_embed_idx": np.array(idx, np.int64),
                                 "pos_embed_weight": np.array(weight, np.float32),
                                 "rotary_pos_ids": np.array(rotary, np.int64)})
    report["vision_finite"] = bool(np.isfinite(feats).all() and np.isfinite(deep).all())
    report["vision_absmax"] = float(np.abs(feats).max())
    decoder = ort.InferenceSession(str(onnx_dir / "decoder_model_merged.onnx"), providers=["CPUExecutionProvider"])
    layers, kv, hd = text["num_hidden_layers"], text["num_key_value_heads"], text["head_dim"]
    stack = len(vision["deepstack_visual_indexes"])
    past = [np.zeros((1, kv, 0, hd), np.float32)] * (2 * layers)
    names = [f"past_key_values.{i}.{k}" for i in range(layers) for k in ("key", "value")]
    length = ids.shape[1]
    finite = True
    tokens = []
    step_embeds = embeds
    positions = np.arange(length, dtype=np.int64).reshape(1, 1, -1).repeat(3, axis=0)
    for step in range(5):
        new = step_embeds.shape[1]
        total = length + step if step else length
        feeds = {"inputs_embeds": step_embeds, "attention_mask": np.ones((1, total), np.int64),
                 "position_ids": positions, "deepstack_embeds": np.zeros((stack, 1, new, text["hidden_size"]),
                                                                         np.float32)}
        feeds.update(zip(names, past))
        out = decoder.run(None, feeds)
        logits, past = out[0], out[1:]
        finite = finite and bool(np.isfinite(logits).all())
        token = int(np.argmax(logits[0]))
        tokens.append(token)
        step_embeds = embed.run(None, {"input_ids": np.array([[token]], np.int64)})[0]
        positions = np.full((3, 1, 1), total, np.int64)
    report.update({"decoder_logits_finite": finite, "tokens": tokens, "logits_absmax": float(np.abs(logits).max()),
                   "seconds": round(time.time() - started, 1)})
    print(json.dumps(report))
    if not (finite and report["vision_finite"] and report["embed_finite"]):
        sys.exit("non-finite outputs")


if __name__ == "__main__":
    main()
