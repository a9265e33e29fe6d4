#!/usr/bin/env python3
"""Prints one Markdown table from a bench/side_by_side.sh results folder: TTFT (vision / prefill split), decode
tok/s and peak RSS for every engine, package and thread count found there. Figures are min / median over runs.

usage: summarize.py RESULTS_DIR
"""
import glob
import json
import os
import re
import statistics
import sys


def mm(values):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    lo, med = min(values), statistics.median(values)
    return f"{lo:.2f}" if len(values) == 1 else f"{lo:.2f} / {med:.2f}"


def mm_max(values):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    hi, med = max(values), statistics.median(values)
    return f"{hi:.1f}" if len(values) == 1 else f"{hi:.1f} / {med:.1f}"


def qwenvl_rows(d):
    for path in sorted(glob.glob(os.path.join(d, "qwenvl-*-*.json"))):
        m = re.match(r"qwenvl-(.+)-(\d+)\.json$", os.path.basename(path))
        if not m:
            continue
        doc = json.load(open(path))
        for row in doc.get("rows", []):
            yield (f"qwenvl {doc.get('precision', '')} ({m.group(1)})", int(m.group(2)),
                   row["ttft_ms"]["min"] / 1000, row["ttft_ms"]["median"] / 1000,
                   row["vision_ms"]["median"] / 1000, row["prefill_ms"]["median"] / 1000,
                   (row["decode_tokens_per_second"]["min"], row["decode_tokens_per_second"]["median"]),
                   doc.get("peak_rss_gb"))


def hf_rows(d):
    for path in sorted(glob.glob(os.path.join(d, "hf-*.log"))):
        t = int(re.search(r"hf-(\d+)\.log$", path).group(1))
        runs = [json.loads(line) for line in open(path) if line.startswith("{")]
        if runs:
            ttft = [r["ttft_s"] for r in runs]
            dec = [r["decode_tokens_per_s"] for r in runs]
            yield ("transformers fp32 (PyTorch)", t, min(ttft), statistics.median(ttft), None, None,
                   (min(dec), statistics.median(dec)), max(r["peak_rss_gb"] for r in runs))


def llama_rows(d, prompt_tokens=270):
    for quant in ("q4_k_m", "q8_0"):
        for path in sorted(glob.glob(os.path.join(d, f"llama-mtmd-{quant}-*-1.log"))):
            t = int(re.search(rf"llama-mtmd-{quant}-(\d+)-1\.log$", path).group(1))
            ttft, vision, prefill, dec, rss = [], [], [], [], []
            for run in sorted(glob.glob(os.path.join(d, f"llama-mtmd-{quant}-{t}-*.log"))):
                text = open(run, errors="replace").read()
                # Newer llama-mtmd-cli prints the vision encoder's time only ("mtmd batch encoding done in N ms");
                # the prompt's prefill then comes from llama-bench's pp rate below.
                enc = re.search(r"(?:slice encoded|mtmd batch encoding done) in (\d+) ms", text)
                pe = re.search(r"prompt eval time =\s*([\d.]+) ms", text)
                ev = re.search(r"\beval time =.*?([\d.]+) tokens per second", text)
                rs = re.search(r"peak_rss_gb: ([\d.]+)", text)
                if enc:
                    vision.append(int(enc.group(1)) / 1000)
                if pe:
                    prefill.append(float(pe.group(1)) / 1000)
                if ev:
                    dec.append(float(ev.group(1)))
                if rs:
                    rss.append(float(rs.group(1)))
            pp = tg = None
            bench = os.path.join(d, f"llama-bench-{quant}-{t}.jsonl")
            if os.path.exists(bench):
                for line in open(bench):
                    if line.startswith("{"):
                        r = json.loads(line)
                        if r.get("n_gen", 0) == 0:
                            pp = r.get("avg_ts")
                        else:
                            tg = r.get("avg_ts")
            if not dec and tg:
                dec = [tg]  # llama-bench's tg rate over the same number of new tokens
            if not prefill and pp:
                prefill = [prompt_tokens / pp]  # pp over the same number of prompt tokens
            if vision and prefill:
                ttft = [v + statistics.median(prefill) for v in vision]
            label = f"llama.cpp {quant.upper()} (mmproj f16)" + (f", llama-bench pp {pp:.0f} / tg {tg:.1f} tok/s" if pp and tg else "")
            yield (label, t, min(ttft) if ttft else None, statistics.median(ttft) if ttft else None,
                   statistics.median(vision) if vision else None, statistics.median(prefill) if prefill else None,
                   (min(dec), statistics.median(dec)) if dec else (None, None), max(rss) if rss else None)


def main():
    d = sys.argv[1]
    rows = list(qwenvl_rows(d)) + list(hf_rows(d)) + list(llama_rows(d))
    rows.sort(key=lambda r: (-r[1], r[0]))
    print("| engine | threads | TTFT s (min / median) | vision s | prefill s | decode tok/s (min / median) | peak RSS GB |")
    print("|---|---|---|---|---|---|---|")
    for name, t, tmin, tmed, vis, pre, (dmin, dmed), rss in rows:
        ttft = "—" if tmin is None else (f"{tmin:.2f}" if tmin == tmed else f"{tmin:.2f} / {tmed:.2f}")
        dec = "—" if dmin is None else (f"{dmin:.1f}" if dmin == dmed else f"{dmin:.1f} / {dmed:.1f}")
        print(f"| {name} | {t} | {ttft} | {'—' if vis is None else f'{vis:.2f}'} | {'—' if pre is None else f'{pre:.2f}'} | {dec} | {'—' if rss is None else f'{rss:.2f}'} |")
    membw = os.path.join(d, "qwenvl-membw.json")
    if os.path.exists(membw):
        doc = json.load(open(membw))
        print(f"\nmemory bandwidth: {doc.get('memory_bandwidth_g_bps')} GB/s")


if __name__ == "__main__":
    main()
