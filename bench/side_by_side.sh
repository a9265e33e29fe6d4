#!/usr/bin/env bash
# Side-by-side CPU benchmark in one invocation on one machine: qwenvl (fused fp32 / int8 / int4 packages, and the
# legacy fp32 graphs for comparison) vs Hugging Face transformers (PyTorch fp32) vs llama.cpp (Q4_K_M, Q8_0), the
# same 2B-shape architecture, the same 512×512 image and prompt (270 prompt tokens), 64 forced tokens, at each
# thread count in THREADS. Needs python3 with torch + transformers, cmake + a C++ compiler, the llama.cpp source,
# and a self-contained qwenvl build (no .NET needed):
#   dotnet publish src/QwenVlStudio.Cli -c Release -r linux-x64 --self-contained -o out/qwenvl
#   bash bench/side_by_side.sh out/qwenvl/qwenvl LLAMA_CPP_SRC /scratch results/
# STEPS picks parts (default: all, in this order): weights qwenvl hf llama summary. Every step skips work whose
# output exists, so a run cut short is resumed by the same command. bench/summarize.py prints the table.
set -euo pipefail
qwenvl=${1:?path to the qwenvl executable}
llama_src=${2:?llama.cpp source folder}
scratch=${3:?scratch folder for weights and GGUF files (about 40 GB)}
results=${4:?folder for logs and JSON}
threads_list=${THREADS:-"16 4"}
new_tokens=${NEW_TOKENS:-64}
packages=${PACKAGES:-"qwen3-vl-2b-fused qwen3-vl-2b-fused-int8 qwen3-vl-2b-fused-int4 qwen3-vl-2b-shape"}
steps=${STEPS:-"weights qwenvl hf llama summary"}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
tokenizer=${TOKENIZER_DIR:-$repo/models/qwen3-vl-tiny}
mkdir -p "$results" "$scratch"
has() { [[ " $steps " == *" $1 "* ]]; }

{ echo "date_utc: $(date -u +%FT%TZ)"; echo "commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Socket|NUMA node\(s\)|L3|Flags' | sed 's/Flags:.*\(amx[a-z_0-9]*\).*/Flags: ... \1 .../' || true
  free -g | head -2; } | tee "$results/machine.txt"

image="$results/images/bench_512x512.png"
if has weights; then
  for p in $packages; do
    [ -d "$scratch/$p/onnx" ] && [ -f "$scratch/$p/.complete" ] && continue
    # Graphs-without-weights packages ship no tokenizer (it is the tiny package's, §0 of the README in shared models).
    for f in tokenizer.json tokenizer_config.json TOKENIZER_LICENSE; do [ -e "$repo/models/$p/$f" ] || { rm -f "$repo/models/$p/$f"; cp "$tokenizer/$f" "$repo/models/$p/"; }; done
    "$qwenvl" make-weights --package "$repo/models/$p" --out "$scratch/$p" && touch "$scratch/$p/.complete"
  done
fi
first=$(echo $packages | awk '{print $1}')
[ -f "$image" ] || "$qwenvl" bench --model "$scratch/$first" --write-images "$results/images" --images 512x512 >/dev/null

if has qwenvl; then
  for p in $packages; do
    for t in $threads_list; do
      out="$results/qwenvl-$p-$t.json"; [ -f "$out" ] && continue
      runs=$(( t >= 8 ? 2 : 1 ))
      echo "== qwenvl $p, $t threads"
      "$qwenvl" bench --model "$scratch/$p" --threads "$t" --runs "$runs" --new-tokens "$new_tokens" --images 512x512 \
        --scenarios image --out "$out" 2>&1 | grep -v 'W:onnxruntime' | tee "$results/qwenvl-$p-$t.log"
    done
  done
  [ -f "$results/qwenvl-membw.json" ] || "$qwenvl" bench --model "$scratch/$first" --scenarios membw --out "$results/qwenvl-membw.json" \
    2>&1 | grep -v "W:onnxruntime" | tee "$results/qwenvl-membw.log" || echo "membw failed (not fatal)"
fi

if has hf; then
  for t in $threads_list; do
    out="$results/hf-$t.log"; [ -s "$out" ] && continue
    runs=$(( t >= 8 ? 2 : 1 ))
    echo "== transformers fp32, $t threads"
    python3 "$here/hf_bench.py" --package "$scratch/$first" --image "$image" --threads "$t" --runs "$runs" \
      --new-tokens "$new_tokens" 2>&1 | grep -v Warning | tee "$out"
  done
fi

if has llama; then
  THREADS="$threads_list" NEW_TOKENS="$new_tokens" bash "$here/llama_cpp_bench.sh" "$llama_src" "$repo/models/qwen3-vl-2b-shape" \
    "$tokenizer" "$image" "$scratch/llama" "$results"
fi

if has summary; then python3 "$here/summarize.py" "$results" | tee "$results/summary.md"; fi
