#!/usr/bin/env bash
# compare.sh [OUT_DIR] — ELMo's benchmark: for each preset, tune with the built-in advisor, then
# measure RocksDB's defaults, the human-tuned configuration and elmotune's best.ini side by side,
# under the same CPU and memory limits, on the same preloaded data, alternating runs; print
# throughput and p99 ratios and the geometric mean. Results and the command: docs/BENCHMARKS.md.
#
# Environment: PRESETS (default "fillrandom readrandom readrandomwriterandom:90 mixgraph ycsb-a"),
# CPUS (2), MEMORY (1073741824), NUM (keys, 2000000), TRIAL_SEC (10), WARMUP_SEC (3),
# ITERATIONS (6), RUNS (3 per configuration in the comparison), DIRECT_IO (0), DB_BENCH (the
# db_bench to use, default out/bin/db_bench; point it at a copy to rebuild while a run goes on),
# TUNED (a previous OUT_DIR: skip tuning and compare that run's best.ini files again).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-bench}
db_bench=${DB_BENCH:-"$top/out/bin/db_bench"}
elmo_cli="$(dirname "$db_bench")/elmo"
[ -x "$db_bench" ] || { echo "compare.sh: build first (./build.sh)" >&2; exit 2; }
presets=${PRESETS:-"fillrandom readrandom readrandomwriterandom:90 mixgraph ycsb-a"}
cpus=${CPUS:-2} mem=${MEMORY:-1073741824} num=${NUM:-2000000}
trial=${TRIAL_SEC:-10} warmup=${WARMUP_SEC:-3} iters=${ITERATIONS:-6} runs=${RUNS:-3}
direct=${DIRECT_IO:-0}
mkdir -p "$out"
"$top/tools/bench/human_tuned.sh" "$mem" "$cpus" > "$out/human.ini"
common=(--elmo_cpus="$cpus" --elmo_memory="$mem" --elmo_num="$num" --elmo_trial_sec="$trial"
        --elmo_warmup_sec="$warmup" --elmo_direct_io="$([ "$direct" = 1 ] && echo true || echo false)")
summary="$out/summary.txt"
: > "$summary"
for p in $presets; do
  d="$out/${p//:/-}"
  rm -rf "$d"; mkdir -p "$d"
  if [ -n "${TUNED:-}" ]; then
    mkdir -p "$d/tune"
    cp "$TUNED/${p//:/-}/tune/best.ini" "$d/tune/best.ini" || { echo "compare.sh: no best.ini for $p in $TUNED" >&2; exit 2; }
  else
    echo "== $p: tuning (built-in advisor)" >&2
    "$db_bench" --benchmarks=elmotune --elmo_workload="$p" "${common[@]}" --elmo_iterations="$iters" \
      --elmo_output_dir="$d/tune" --elmo_quiet=false 2> "$d/tune.log" | tail -2 >&2
  fi
  # A best.ini that is one of the baselines option for option (no gain was confirmed) is not
  # measured a second time: two measurements of the same file differ only by noise (up to 18%
  # here), which is not a gain or a loss of elmotune's. Its figures are that baseline's, and the
  # summary says so. trial-000.ini of the tuning run is the defaults as the tuner completed them.
  same=""
  defaults_ini="$d/tune/trial-000.ini"
  [ -n "${TUNED:-}" ] && defaults_ini="$TUNED/${p//:/-}/tune/trial-000.ini"
  for pair in "defaults:$defaults_ini" "human:$out/human.ini"; do
    ref=${pair#*:}
    if [ -x "$elmo_cli" ] && [ -f "$ref" ] &&
       "$elmo_cli" diff "$d/tune/best.ini" "$ref" 2>/dev/null | grep -qx "0 changed options"; then
      same=${pair%%:*}
    fi
  done
  configs="defaults,$out/human.ini"
  [ -z "$same" ] && configs="$configs,$d/tune/best.ini"
  echo "== $p: ${configs//,/ vs }, $runs runs each, alternating${same:+ (best.ini = $same)}" >&2
  "$db_bench" --benchmarks=elmotune --elmo_workload="$p" "${common[@]}" \
    --elmo_compare="$configs" --elmo_compare_runs="$runs" \
    --elmo_output_dir="$d/compare" 2> "$d/compare.log" | tee "$d/compare.txt"
  awk -v p="$p" -v same="$same" 'NR==2{d=$3; dp=$6} NR==3{h=$3; hp=$6} NR==4{e=$3; ep=$6}
    END{if(same=="defaults"){e=d; ep=dp} else if(same=="human"){e=h; ep=hp}
        b=(d>h?d:h); bp=(d>h?dp:hp); note=(same!=""?"  identical_to " same " (measured once)":"")
        printf "%-26s defaults %9.0f  human %9.0f  elmotune %9.0f  x_better_baseline %.3f  p99_ratio %.3f%s\n", p, d, h, e, e/b, ep/bp, note}' \
    "$d/compare.txt" | tee -a "$summary"
done
awk '{for(i=1;i<=NF;i++) if($i=="x_better_baseline") {s+=log($(i+1)); n++}} END{if(n) printf "geometric mean of elmotune / better baseline: %.3f over %d presets\n", exp(s/n), n}' "$summary" | tee -a "$summary"
if grep -q identical_to "$summary"; then
  echo "identical_to: best.ini is that baseline option for option (no gain confirmed): it was measured once, as that baseline" | tee -a "$summary"
fi
