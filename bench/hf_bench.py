#!/usr/bin/env python3
"""Times Hugging Face transformers (PyTorch, CPU, fp32) on the same package, image and prompt as `qwenvl bench`.

The model is built from the package's config.json with transformers' own random init: timing depends on shapes,
not on weight values. Prints one JSON line per run: ttft_s, decode_tokens_per_s, total_s, prompt_tokens,
peak_rss_gb.

usage: hf_bench.py --package DIR --image PNG --threads N [--new-tokens 64] [--runs 2] [--attn sdpa|eager]
"""
import argparse
import json
import resource
import time

import torch
from PIL import Image
from transformers import AutoConfig, AutoProcessor, LogitsProcessor, LogitsProcessorList, Qwen3VLForConditionalGeneration


class StepClock(LogitsProcessor):
    """Called once before each new token is chosen: the first call marks the end of prefill."""

    def __init__(self):
        self.times = []

    def __call__(self, input_ids, scores):
        self.times.append(time.perf_counter())
        return scores


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--prompt", default="Describe this image.")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--attn", default="sdpa")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    config = AutoConfig.from_pretrained(args.package)
    model = Qwen3VLForConditionalGeneration._from_config(config, attn_implementation=args.attn, torch_dtype=torch.float32).eval()
    processor = AutoProcessor.from_pretrained(args.package)
    load_s = time.perf_counter() - start

    messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": args.prompt}]}]
    text = processor.apply_chat_template(messages, add_generation_prompt=True)
    image = Image.open(args.image).convert("RGB")

    for run in range(args.runs + 1):  # run 0 is a short warm-up
        new_tokens = 2 if run == 0 else args.new_tokens
        clock = StepClock()
        t0 = time.perf_counter()
        inputs = processor(text=[text], images=[image], return_tensors="pt")
        with torch.inference_mode():
            out = model.generate(**inputs, max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False,
                                 logits_processor=LogitsProcessorList([clock]))
        total = time.perf_counter() - t0
        generated = out.shape[1] - inputs["input_ids"].shape[1]
        ttft = clock.times[0] - t0
        decode = (generated - 1) / (clock.times[-1] - clock.times[0]) if generated > 1 else 0.0
        if run == 0:
            continue
        print(json.dumps({
            "engine": f"transformers {__import__('transformers').__version__} torch {torch.__version__} ({args.attn})",
            "threads": args.threads, "run": run, "load_s": round(load_s, 1),
            "prompt_tokens": int(inputs["input_ids"].shape[1]), "generated": int(generated),
            "ttft_s": round(ttft, 3), "decode_tokens_per_s": round(decode, 2), "total_s": round(total, 2),
            "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2),
        }), flush=True)


if __name__ == "__main__":
    main()
