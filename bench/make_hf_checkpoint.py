#!/usr/bin/env python3
"""Writes a random-weight Hugging Face checkpoint of a package's config (for llama.cpp's converter).

Timing depends on shapes, not on weight values, so llama.cpp is timed on the same architecture and sizes as the
qwenvl packages. The weights are transformers' own random init (std = initializer_range), saved as bf16
safetensors with the tokenizer, chat template and image processor files beside them.

usage: make_hf_checkpoint.py --package models/qwen3-vl-2b-shape --tokenizer-from DIR --out DIR [--seed 0]
"""
import argparse
import os
import shutil

import torch
from transformers import AutoConfig, Qwen3VLForConditionalGeneration

FILES = ["preprocessor_config.json", "chat_template.jinja", "chat_template.json", "generation_config.json"]
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", required=True)
    ap.add_argument("--tokenizer-from", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    config = AutoConfig.from_pretrained(args.package)
    model = Qwen3VLForConditionalGeneration._from_config(config, torch_dtype=torch.bfloat16).eval()
    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    for name in FILES:
        if os.path.exists(os.path.join(args.package, name)):
            shutil.copy(os.path.join(args.package, name), args.out)
    for name in TOKENIZER_FILES:
        shutil.copy(os.path.join(args.tokenizer_from, name), args.out)
    print(f"wrote {sum(p.numel() for p in model.parameters()) / 1e9:.2f} B parameters to {args.out}")


if __name__ == "__main__":
    main()
