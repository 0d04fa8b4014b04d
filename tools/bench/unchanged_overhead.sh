#!/usr/bin/env bash
# unchanged_overhead.sh [OUT_DIR] — what ELMo costs a program that cannot change. Debian's own
# db_bench binary (it sets its options in code from its flags) on the same preloaded data, four
# ways, alternating, RUNS times each:
#   debian      Debian's librocksdb.so.7.8
#   elmo        ELMo's library, no ELMo settings (no ELMO_OPTIONS / ELMO_CONFIG)
#   elmo-trace  ELMo's library, ELMO_OPTIONS=elmo_trace=... (every operation traced)
#   elmo-trace10  the same with elmo_trace_sampling=10 (one operation in ten)
# Prints ops/s and p99 per way and the ratios to debian. Results and the command:
# docs/BENCHMARKS.md, "Programs that cannot change".
#
# Environment: NUM (1000000 keys), VALUE_SIZE (400), DURATION (15 s per run), THREADS (4),
# READ_PCT (80), RUNS (3).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-unchanged-overhead}
num=${NUM:-1000000} vsize=${VALUE_SIZE:-400} dur=${DURATION:-15} threads=${THREADS:-4}
pct=${READ_PCT:-80} runs=${RUNS:-3}
. "$top/tools/bench/ways_lib.sh"
ways_init
ways_preload

traced() {  # name rep sampling
  ways_run "$1" "$elmo_lib" "ELMO_OPTIONS=elmo_trace=$out/trace-$1-$2;elmo_trace_sampling=$3" "$2"
  local t="$out/trace-$1-$2"
  [ -s "$t" ] || { echo "$0: $1 left no trace" >&2; exit 1; }
  echo "$1 $2 trace_bytes $(stat -c %s "$t")" >> "$out/trace-sizes.txt"
  rm -f "$t"*
}
: > "$out/trace-sizes.txt"
for r in $(seq 1 "$runs"); do
  ways_run debian "$deb_lib" "" "$r"
  ways_run elmo "$elmo_lib" "" "$r"
  traced elmo-trace "$r" 1
  traced elmo-trace10 "$r" 10
done
rm -rf "$out/db"
ways_summary debian elmo elmo-trace elmo-trace10
cat "$out/trace-sizes.txt" >&2
