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
# per preset DIR/progress.svg, each tuner's best so far against the trial number.
# Results and the command: docs/BENCHMARKS.md.
#
# Environment: PRESETS (default "fillrandom readrandom readrandomwriterandom:90 mixgraph ycsb-a"),
# CPUS (2), MEMORY (1073741824), NUM (2000000), TRIAL_SEC (10), WARMUP_SEC (3), ITERATIONS (6),
# RUNS (3), SEED (20261207), DB_BENCH (default out/bin/db_bench; point it at a copy to rebuild
# during a run), PYTHON (a Python with Debian's python3-optuna: /usr/bin/python3).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-peers}
db_bench=${DB_BENCH:-"$top/out/bin/db_bench"}
python=${PYTHON:-/usr/bin/python3}
presets=${PRESETS:-"fillrandom readrandom readrandomwriterandom:90 mixgraph ycsb-a"}
cpus=${CPUS:-2} mem=${MEMORY:-1073741824} num=${NUM:-2000000}
trial=${TRIAL_SEC:-10} warmup=${WARMUP_SEC:-3} iters=${ITERATIONS:-6} runs=${RUNS:-3} seed=${SEED:-20261207}
[ -x "$db_bench" ] || { echo "peers.sh: build first (./build.sh)" >&2; exit 2; }
"$python" -c 'import optuna' 2>/dev/null || {
  echo "peers.sh: Optuna is not available to $python: ./build.sh bench-deps (as root) installs Debian's" \
       "python3-optuna; or set PYTHON to a Python that has it" >&2
  exit 2
}
mkdir -p "$out"
guide="$out/guide.ini"
"$top/tools/bench/human_tuned.sh" "$mem" "$cpus" > "$guide"
common=(--elmo_cpus="$cpus" --elmo_memory="$mem" --elmo_num="$num" --elmo_trial_sec="$trial"
        --elmo_warmup_sec="$warmup")
report="$out/peers.md"
{
  echo "| preset | N | defaults | guide | elmotune | random | TPE | elmotune/better | random/better | TPE/better | 90% at (elmotune, random, TPE) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > "$report"
for p in $presets; do
  d="$out/${p//:/-}"
  rm -rf "$d"; mkdir -p "$d"
  echo "== $p: elmotune (built-in advisor)" >&2
  "$db_bench" --benchmarks=elmotune --elmo_workload="$p" "${common[@]}" --elmo_iterations="$iters" \
    --elmo_output_dir="$d/elmo" --elmo_quiet=false 2> "$d/elmo.log" | tail -2 >&2
  # The preset's preloaded DB, which every peer trial clones (none for fillrandom: it starts empty).
  base_flag=()
  [ -f "$d/elmo/db/base/db/CURRENT" ] && base_flag=(--elmo_base_db="$d/elmo/db/base/db")
  # N and the elmotune curve: its trials in order (the confirmation left out), best so far.
  n=$("$python" "$top/tools/bench/peers/curve.py" "$d/elmo/history.json" "$d/elmo/trials.csv")
  for m in random tpe; do
    echo "== $p: $m search, $n trials" >&2
    "$python" "$top/tools/bench/peers/search.py" --method="$m" --trials="$n" --seed="$seed" --preset="$p" \
      --db-bench="$db_bench" --guide="$guide" --out="$d/$m" -- "${common[@]}" "${base_flag[@]}" 2> "$d/$m.log"
  done
  configs="defaults,$guide,$d/elmo/best.ini,$d/random/best.ini,$d/tpe/best.ini"
  echo "== $p: ${configs//,/ vs }, $runs runs each, alternating" >&2
  "$db_bench" --benchmarks=elmotune --elmo_workload="$p" "${common[@]}" "${base_flag[@]}" \
    --elmo_compare="$configs" --elmo_compare_runs="$runs" --elmo_output_dir="$d/compare" \
    2> "$d/compare.log" | tee "$d/compare.txt"
  "$python" "$top/tools/bench/peers/row.py" "$p" "$n" "$d" >> "$report"
  "$(dirname "$db_bench")/elmo" progress-chart -o "$d/progress.svg" --title "$p: best so far, $n trials each" \
    elmotune="$d/elmo/trials.csv" random="$d/random/trials.csv" TPE="$d/tpe/trials.csv"
done
cat "$report"
