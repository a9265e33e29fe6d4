#!/bin/bash
# Sequential benches: before (main 884873c) and after (branch speed); load average logged around each.
M=/work/weights/qwen3-vl-2b-shape
B=/tmp/before/src/QwenVlStudio.Cli/bin/Release/net10.0/linux-x64/qwenvl.dll
A=/work/wt-speed/src/QwenVlStudio.Cli/bin/Release/net10.0/linux-x64/qwenvl.dll
cd /tmp/speedbench
run() { name=$1; shift; echo "== $name start $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)" >> loads.txt; dotnet "$@" > $name.log 2>&1; echo "== $name end $(date -u +%T) rc=$? load: $(cut -d' ' -f1-3 /proc/loadavg)" >> loads.txt; }
run B1 $B bench --model $M --threads 2 --runs 3 --new-tokens 64 --scenarios image,followup,text --images 512x512 --out B1.json
run A1 $A bench --model $M --threads 2 --runs 3 --new-tokens 64 --batch 4 --scenarios image,followup,text --images 512x512 --out A1.json
run B2 $B bench --model $M --threads 2 --runs 2 --new-tokens 64 --scenarios concurrent --images 512x512 --concurrency 1,2,4 --out B2.json
run A2 $A bench --model $M --threads 2 --runs 2 --new-tokens 64 --batch 4 --scenarios concurrent,concurrent-text --images 512x512 --concurrency 1,2,4 --out A2.json
run A3 $A bench --model $M --threads 2 --runs 2 --new-tokens 64 --batch 1 --scenarios concurrent-text,image --images 512x512 --concurrency 1,2,4 --out A3.json
echo done >> loads.txt
