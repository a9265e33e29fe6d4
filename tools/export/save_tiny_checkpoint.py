#!/usr/bin/env python3
"""Saves the random tiny model as a Hugging Face checkpoint folder (save_pretrained), so the --checkpoint path
of export.py can be tested without downloading a real model.

    python3 tools/export/save_tiny_checkpoint.py models/qwen3-vl-tiny/config.json --seed 1234 --out /tmp/ckpt
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from qvl_export.model_source import describe, load_tiny_random

    model = load_tiny_random(args.config, args.seed)
    model.save_pretrained(str(args.out))
    print(f"saved {describe(model)} to {args.out}: {sorted(p.name for p in args.out.iterdir())}")


if __name__ == "__main__":
    main()
