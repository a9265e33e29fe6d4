#!/usr/bin/env bash
# llama.cpp on the same architecture, sizes, image and prompt as `qwenvl bench`: builds llama.cpp from source for
# this CPU (GGML_NATIVE), converts a random-weight HF checkpoint of the package's config with llama.cpp's own
# converter (+ --mmproj, f16), quantizes to Q4_K_M and Q8_0, and times llama-bench (pp/tg) and llama-mtmd-cli
# (image + prompt, 64 forced tokens, a 4096-token context: its default, the model's 256k, reserves ~30 GB of KV)
# at each thread count. Logs go to RESULTS; bench/summarize.py reads them.
#   bash bench/llama_cpp_bench.sh LLAMA_SRC_DIR PACKAGE TOKENIZER_DIR IMAGE WORK RESULTS
set -euo pipefail
src=${1:?llama.cpp source folder}
package=${2:?package folder with config.json, e.g. models/qwen3-vl-2b-shape}
tokenizer=${3:?folder with tokenizer.json and tokenizer_config.json}
image=${4:?image file, e.g. bench_512x512.png from qwenvl bench --write-images}
work=${5:?scratch folder (about 12 GB)}
results=${6:?folder for logs}
threads_list=${THREADS:-"16 4"}
new_tokens=${NEW_TOKENS:-64}
prompt_tokens=${PROMPT_TOKENS:-270}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work" "$results"

if [ ! -x "$work/build/bin/llama-mtmd-cli" ]; then
  # A source archive without the optional app/ and pocs/ folders: give their add_subdirectory an empty project.
  for d in app pocs; do [ -f "$src/$d/CMakeLists.txt" ] || { mkdir -p "$src/$d" && : >"$src/$d/CMakeLists.txt"; }; done
  rm -rf "$work/build"
  cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_CUDA=OFF >"$results/llama-cmake.log" 2>&1
  cmake --build "$work/build" -j"$(nproc)" --target llama-mtmd-cli llama-bench llama-quantize >"$results/llama-build.log" 2>&1
fi
git -C "$src" log -1 --format='llama.cpp commit %H %cd' 2>/dev/null | tee "$results/llama-version.txt" || echo "llama.cpp (no git metadata)" >"$results/llama-version.txt"

if [ ! -f "$work/model-q4_k_m.gguf" ]; then
  [ -f "$work/hf/config.json" ] || python3 "$here/make_hf_checkpoint.py" --package "$package" --tokenizer-from "$tokenizer" --out "$work/hf"
  export PYTHONPATH="$src/gguf-py${PYTHONPATH:+:$PYTHONPATH}"
  python3 "$src/convert_hf_to_gguf.py" "$work/hf" --outtype f16 --outfile "$work/model-f16.gguf" >"$results/llama-convert.log" 2>&1
  python3 "$src/convert_hf_to_gguf.py" "$work/hf" --mmproj --outtype f16 --outfile "$work/mmproj-f16.gguf" >>"$results/llama-convert.log" 2>&1
  "$work/build/bin/llama-quantize" "$work/model-f16.gguf" "$work/model-q4_k_m.gguf" Q4_K_M >"$results/llama-quantize.log" 2>&1
  "$work/build/bin/llama-quantize" "$work/model-f16.gguf" "$work/model-q8_0.gguf" Q8_0 >>"$results/llama-quantize.log" 2>&1
fi
ls -la "$work"/*.gguf | tee "$results/llama-files.txt"

for quant in q4_k_m q8_0; do
  for t in $threads_list; do
    echo "== llama-bench $quant, $t threads"
    "$work/build/bin/llama-bench" -m "$work/model-$quant.gguf" -t "$t" -p "$prompt_tokens" -n "$new_tokens" -r 2 -o jsonl \
      >"$results/llama-bench-$quant-$t.jsonl" 2>"$results/llama-bench-$quant-$t.err" || tail -5 "$results/llama-bench-$quant-$t.err"
    echo "== llama-mtmd-cli $quant, $t threads"
    for run in 1 2; do
      python3 "$here/peak_rss.py" "$work/build/bin/llama-mtmd-cli" -m "$work/model-$quant.gguf" --mmproj "$work/mmproj-f16.gguf" \
        --image "$image" -p "Describe this image." -n "$new_tokens" --temp 0 --ignore-eos -t "$t" --no-warmup -c 4096 \
        >"$results/llama-mtmd-$quant-$t-$run.log" 2>&1 || tail -5 "$results/llama-mtmd-$quant-$t-$run.log"
    done
  done
done
