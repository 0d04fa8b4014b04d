#!/usr/bin/env bash
# realtime_overhead.sh [OUT_DIR] — what the realtime tuner costs. One program (Debian's own
# db_bench binary, as a drop-in user would run it) on the same preloaded data, three ways,
# alternating, RUNS times each:
#   debian    Debian's librocksdb.so.7.8, the OPTIONS file as it is
#   elmo-off  ELMo's library, the same file (no elmo_* keys: the tuner is absent)
#   elmo-on   ELMo's library, the same file plus elmo_autotune=true (a steady workload: the tuner
#             samples every INTERVAL seconds and finds nothing to change)
# Prints ops/s and p99 per way and the ratios. Results and the command: docs/BENCHMARKS.md.
#
# Environment: NUM (1000000 keys), VALUE_SIZE (400), DURATION (30 s per run), THREADS (1),
# READ_PCT (90), RUNS (3), INTERVAL (10: elmo_interval_sec).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-rt-overhead}
num=${NUM:-1000000} vsize=${VALUE_SIZE:-400} dur=${DURATION:-30} threads=${THREADS:-1}
pct=${READ_PCT:-90} runs=${RUNS:-3} interval=${INTERVAL:-10}
. "$top/tools/bench/ways_lib.sh"
ways_init
cp "$top/tools/bench/plain.ini" "$out/plain.ini"
awk -v iv="$interval" '{print} /^\[DBOptions\]/ {print "  elmo_autotune=true\n  elmo_interval_sec=" iv}' \
  "$out/plain.ini" > "$out/tuner.ini"
ways_preload --options_file="$out/plain.ini"

run() {  # name lib ini rep
  ways_run "$1" "$2" "" "$4" --options_file="$3"
  if [ "$1" = elmo-on ]; then
    [ -f "$out/db/elmo_journal.jsonl" ] || { echo "realtime_overhead.sh: elmo-on ran without the tuner" >&2; exit 1; }
    cp "$out/db/elmo_journal.jsonl" "$out/journal-$4.jsonl"
  elif [ -f "$out/db/elmo_journal.jsonl" ]; then
    echo "realtime_overhead.sh: $1 started a tuner" >&2; exit 1
  fi
}
for r in $(seq 1 "$runs"); do
  run debian "$deb_lib" "$out/plain.ini" "$r"
  run elmo-off "$elmo_lib" "$out/plain.ini" "$r"
  run elmo-on "$elmo_lib" "$out/tuner.ini" "$r"
done
rm -rf "$out/db"
ways_summary debian elmo-off elmo-on
