#!/usr/bin/env bash
# unchanged_cycle.sh [OUT_DIR] — the whole cycle on a program nobody changes, and what it gained.
# The program is Debian's own db_bench binary (options set in code from its flags) running a
# workload that is not one of elmotune's presets. On ELMo's library:
#   1. record: one run with ELMO_OPTIONS=elmo_trace=... on a copy of the preloaded data;
#   2. tune:   db_bench --benchmarks=elmotune --elmo_trace=THE_TRACE (ELMo's db_bench), every
#              trial on a clone of the program's data (--elmo_base_db) unless BASE_DB=0;
#   3. compare, alternating RUNS times on fresh copies of the same data:
#        program  the program as it is (no ELMo settings)
#        tuned    the same with ELMO_OPTIONS=elmo_tuned_options=best.ini
# Prints ops/s and p99 per way and the ratio. Results and the command: docs/BENCHMARKS.md.
#
# Environment: NUM (1000000 keys), VALUE_SIZE (400), DURATION (20 s per compared run), THREADS (4),
# READ_PCT (80), RUNS (3), TRACE_SEC (10), BASE_DB (1), TUNE_ARGS (elmotune flags; defaults below).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-unchanged-cycle}
num=${NUM:-1000000} vsize=${VALUE_SIZE:-400} dur=${DURATION:-20} threads=${THREADS:-4}
pct=${READ_PCT:-80} runs=${RUNS:-3} trace_sec=${TRACE_SEC:-10} base_db=${BASE_DB:-1}
tune_args=${TUNE_ARGS:---elmo_trial_sec=8 --elmo_warmup_sec=2 --elmo_iterations=4 --elmo_confirm=3 --elmo_confirm_max=6}
. "$top/tools/bench/ways_lib.sh"
ways_init
ways_preload

echo "== 1. recording the program for $trace_sec s" >&2
rm -rf "$out/db" "$out/app.trace"*
cp -a "$out/base" "$out/db"
env -u ELMO_CONFIG LD_LIBRARY_PATH="$elmo_lib" ELMO_OPTIONS="elmo_trace=$out/app.trace" "$deb_bench" \
  --benchmarks=readrandomwriterandom --readwritepercent="$pct" --use_existing_db=1 --num="$num" \
  --value_size="$vsize" --duration="$trace_sec" --threads="$threads" --db="$out/db" > "$out/record.log" 2>&1
[ -s "$out/app.trace" ] || { echo "$0: no trace recorded; see $out/record.log" >&2; exit 1; }

echo "== 2. tuning against the trace ($tune_args)" >&2
rm -rf "$out/tune" "$out/tune-db"
[ "$base_db" = 1 ] && tune_args="$tune_args --elmo_base_db=$out/base"
# shellcheck disable=SC2086
env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH="$elmo_lib" "$top/out/bin/db_bench" \
  --benchmarks=elmotune --elmo_trace="$out/app.trace" --elmo_trace_threads="$threads" $tune_args \
  --elmo_output_dir="$out/tune" --db="$out/tune-db" > "$out/tune.log" 2>&1
tail -3 "$out/tune.log" >&2
LD_LIBRARY_PATH="$elmo_lib" "$top/out/bin/elmo" overlay "$out/tune/best.ini" --db "$out/base" | tee "$out/overlay.txt" >&2

echo "== 3. the program vs the program with the tuned file" >&2
for r in $(seq 1 "$runs"); do
  ways_run program "$elmo_lib" "" "$r"
  ways_run tuned "$elmo_lib" "ELMO_OPTIONS=elmo_tuned_options=$out/tune/best.ini" "$r"
  grep -q "elmo_tuned_options=$out/tune/best.ini: " "$out/db/LOG" \
    || { echo "$0: the tuned run did not apply the file" >&2; exit 1; }
done
rm -rf "$out/db"
ways_summary program tuned
