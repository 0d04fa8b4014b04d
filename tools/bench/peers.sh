#!/usr/bin/env bash
# peers.sh [OUT_DIR] — elmotune against the tuners a user would otherwise pick, on the same
# trials: for each preset, (1) elmotune with the built-in advisor; its trial count N (the
# confirmation left out) is every peer's budget; (2) a seeded random search and (3) Optuna's TPE
# over the option subspace the built-in advisor moves in (peers/subspace.tsv), each N trials, the
# first being the tuning guide's file, every trial measured once by elmotune's own trial runner on
# the same preloaded data under the same limits and trial length; then (4) RocksDB's defaults, the
# guide's file and the three best files side by side (--elmo_compare, alternating, RUNS runs
# each). Prints and writes OUT_DIR/peers.md: per preset each one's ops/s, its best over the better
# of defaults and the guide, and the trial at which each tuner reached 90% of its final gain; and
# per preset DIR/progress.svg, each tuner's best so far against the trial number. A best file
# identical to the guide's is measured once, as the guide.
#
# The workload "trace" is a program's, modeled from its query trace: db_bench's mixgraph with
# Facebook's published parameters (as tools/bench/fidelity.sh runs it, at full speed) is traced
# for TRACE_SEC seconds on NUM preloaded keys; elmotune models it (--elmo_trace: the spec is
# DIR/elmo/workload.json) and tunes against the model, and the peers and the side-by-side
# measurement run that same spec on the same preloaded DB.
# Results and the command: docs/BENCHMARKS.md.
#
# Environment: PRESETS (default "fillrandom readrandom readrandomwriterandom:90 mixgraph ycsb-a
# trace"), CPUS (2), MEMORY (1073741824), NUM (2000000), TRIAL_SEC (10), WARMUP_SEC (3),
# ITERATIONS (6), RUNS (3), SEED (20261207), TRACE_SEC (30), DB_BENCH (default out/bin/db_bench;
# point it at a copy to rebuild during a run), PYTHON (a Python with Debian's python3-optuna:
# /usr/bin/python3).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-peers}
db_bench=${DB_BENCH:-"$top/out/bin/db_bench"}
python=${PYTHON:-/usr/bin/python3}
presets=${PRESETS:-"fillrandom readrandom readrandomwriterandom:90 mixgraph ycsb-a trace"}
cpus=${CPUS:-2} mem=${MEMORY:-1073741824} num=${NUM:-2000000}
trial=${TRIAL_SEC:-10} warmup=${WARMUP_SEC:-3} iters=${ITERATIONS:-6} runs=${RUNS:-3} seed=${SEED:-20261207}
trace_sec=${TRACE_SEC:-30}
[ -x "$db_bench" ] || { echo "peers.sh: build first (./build.sh)" >&2; exit 2; }
"$python" -c 'import optuna' 2>/dev/null || {
  echo "peers.sh: Optuna is not available to $python: ./build.sh bench-deps (as root) installs Debian's" \
       "python3-optuna; or set PYTHON to a Python that has it" >&2
  exit 2
}
mkdir -p "$out"
guide="$out/guide.ini"
"$top/tools/bench/human_tuned.sh" "$mem" "$cpus" > "$guide"
limits=(--elmo_cpus="$cpus" --elmo_memory="$mem" --elmo_trial_sec="$trial" --elmo_warmup_sec="$warmup")
report="$out/peers.md"
{
  echo "| preset | N | defaults | guide | elmotune | random | TPE | elmotune/better | random/better | TPE/better | 90% at (elmotune, random, TPE) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > "$report"

# trace DIR: DIR/app.trace, TRACE_SEC seconds of mixgraph (Facebook's published parameters,
# closed loop) on NUM preloaded keys, the program whose workload elmotune models.
trace() {
  local db="$1/app-db" mix=(--key_size=48 --value_size=400 --num="$num" --compression_ratio=0.5)
  "$db_bench" --benchmarks=fillrandom --db="$db" "${mix[@]}" --seed=20261121 --disable_wal=1 \
    > "$1/app-preload.log" 2>&1
  "$db_bench" --benchmarks=mixgraph --db="$db" "${mix[@]}" --use_existing_db=1 --seed=20261122 \
    --mix_get_ratio=0.85 --mix_put_ratio=0.14 --mix_seek_ratio=0.01 --key_dist_a=0.002312 \
    --key_dist_b=0.3467 --keyrange_dist_a=14.18 --keyrange_dist_b=-2.917 --keyrange_dist_c=0.0164 \
    --keyrange_dist_d=-0.08082 --keyrange_num=30 --value_k=0.2615 --value_sigma=25.45 --iter_k=2.517 \
    --iter_sigma=14.236 --duration="$trace_sec" --reads=$((num * 1000)) --threads=1 \
    --trace_file="$1/app.trace" > "$1/app.log" 2>&1
  rm -rf "$db"
}

for p in $presets; do
  d="$out/${p//:/-}"
  rm -rf "$d"; mkdir -p "$d"
  if [ "$p" = trace ]; then
    echo "== trace: ${trace_sec}s of mixgraph on $num keys, traced" >&2
    trace "$d"
    tune_flags=(--elmo_trace="$d/app.trace")
  else
    tune_flags=(--elmo_workload="$p" --elmo_num="$num")
  fi
  echo "== $p: elmotune (built-in advisor)" >&2
  "$db_bench" --benchmarks=elmotune "${tune_flags[@]}" "${limits[@]}" --elmo_iterations="$iters" \
    --elmo_output_dir="$d/elmo" --elmo_quiet=false 2> "$d/elmo.log" | tail -2 >&2
  # The workload the peers run: the preset, or the spec elmotune modeled from the trace.
  workload=(--elmo_workload="$p" --elmo_num="$num")
  [ "$p" = trace ] && workload=(--elmo_workload="$d/elmo/workload.json")
  # The preloaded DB every peer trial clones (none for fillrandom: it starts empty).
  [ -f "$d/elmo/db/base/db/CURRENT" ] && workload+=(--elmo_base_db="$d/elmo/db/base/db")
  # N and the elmotune curve: its trials in order (the confirmation left out), best so far.
  n=$("$python" "$top/tools/bench/peers/curve.py" "$d/elmo/history.json" "$d/elmo/trials.csv")
  for m in random tpe; do
    echo "== $p: $m search, $n trials" >&2
    "$python" "$top/tools/bench/peers/search.py" --method="$m" --trials="$n" --seed="$seed" \
      --db-bench="$db_bench" --guide="$guide" --out="$d/$m" -- "${workload[@]}" "${limits[@]}" 2> "$d/$m.log"
  done
  # Each tuner's configuration as the side-by-side table names it: a best file identical to the
  # guide's is the guide (measured once).
  names=(defaults "$guide")
  for t in elmo random tpe; do
    if cmp -s "$d/$t/best.ini" "$guide"; then names+=("$guide"); else names+=("$d/$t/best.ini"); fi
  done
  configs=$(printf '%s\n' "${names[@]}" | awk '!seen[$0]++' | paste -sd, -)
  echo "== $p: ${configs//,/ vs }, $runs runs each, alternating" >&2
  "$db_bench" --benchmarks=elmotune "${workload[@]}" "${limits[@]}" \
    --elmo_compare="$configs" --elmo_compare_runs="$runs" --elmo_output_dir="$d/compare" \
    2> "$d/compare.log" | tee "$d/compare.txt"
  "$python" "$top/tools/bench/peers/row.py" "$p" "$n" "$d" "${names[@]}" >> "$report"
  "$(dirname "$db_bench")/elmo" progress-chart -o "$d/progress.svg" --title "$p: best so far, $n trials each" \
    elmotune="$d/elmo/trials.csv" random="$d/random/trials.csv" TPE="$d/tpe/trials.csv"
done
cat "$report"
