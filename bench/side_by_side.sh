#!/usr/bin/env bash
# Side-by-side CPU benchmark on one machine: Hugging Face transformers (PyTorch fp32) vs the qwenvl engine, on the
# 2B-shape package, the same image and prompt, at 16 and 2 threads. Needs python3 with torch + transformers and a
# self-contained qwenvl build (no .NET needed):
#   dotnet publish src/QwenVlStudio.Cli -c Release -r linux-x64 --self-contained -o out/qwenvl
#   bash bench/side_by_side.sh out/qwenvl/qwenvl models/qwen3-vl-2b-shape /tmp/weights results/
set -euo pipefail
qwenvl=${1:?path to the qwenvl executable}
package=${2:?graphs-without-weights package, e.g. models/qwen3-vl-2b-shape}
weights=${3:?folder for the generated weights (about 10 GB)}
results=${4:?folder for logs and JSON}
threads_list=${THREADS:-"16 2"}
new_tokens=${NEW_TOKENS:-64}
mkdir -p "$results"

echo "== machine"; (lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Socket|NUMA node\(s\)|L3') || true
free -g | head -2

[ -f "$weights/onnx/decoder_model_merged.onnx_data" ] || "$qwenvl" make-weights --package "$package" --out "$weights"
"$qwenvl" bench --model "$weights" --write-images "$results/images" --images 512x512

for t in $threads_list; do
  # Fewer repeats where one run takes long (few threads), so the whole comparison fits a 10-minute slot.
  runs=$(( t >= 8 ? 2 : 1 ))
  echo "== qwenvl, $t threads"
  "$qwenvl" bench --model "$weights" --threads "$t" --runs "$runs" --new-tokens "$new_tokens" --images 512x512 \
    --scenarios image,membw --out "$results/qwenvl-$t.json" 2>&1 | grep -v 'W:onnxruntime' | tee "$results/qwenvl-$t.log"
  echo "== transformers, $t threads"
  python3 "$(dirname "$0")/hf_bench.py" --package "$weights" --image "$results/images/bench_512x512.png" \
    --threads "$t" --runs "$runs" --new-tokens "$new_tokens" 2>&1 | grep -v Warning | tee "$results/hf-$t.log"
done
