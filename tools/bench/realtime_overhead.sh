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
deb_root="$top/build/debian-bin/root"
deb_bench="$deb_root/usr/bin/db_bench"
deb_lib=$(dirname "$(find "$deb_root/usr/lib" -name 'librocksdb.so.7.8' | head -1)")
[ -x "$deb_bench" ] || { echo "realtime_overhead.sh: Debian's binaries are unpacked by ./build.sh test first" >&2; exit 2; }
[ -f "$top/out/lib/librocksdb.so.7.8" ] || { echo "realtime_overhead.sh: build first (./build.sh)" >&2; exit 2; }
mkdir -p "$out"
cp "$top/tools/bench/plain.ini" "$out/plain.ini"
awk -v iv="$interval" '{print} /^\[DBOptions\]/ {print "  elmo_autotune=true\n  elmo_interval_sec=" iv}' \
  "$out/plain.ini" > "$out/tuner.ini"

echo "== preloading $num keys" >&2
rm -rf "$out/base"
LD_LIBRARY_PATH="$deb_lib" "$deb_bench" --benchmarks=fillrandom,compact --num="$num" --value_size="$vsize" \
  --db="$out/base" --options_file="$out/plain.ini" > "$out/preload.log" 2>&1

run() {  # name lib ini rep
  rm -rf "$out/db"
  cp -a "$out/base" "$out/db"
  LD_LIBRARY_PATH="$2" "$deb_bench" --benchmarks=readrandomwriterandom --readwritepercent="$pct" \
    --use_existing_db=1 --num="$num" --value_size="$vsize" --duration="$dur" --threads="$threads" \
    --db="$out/db" --options_file="$3" --histogram=1 > "$out/$1-$4.log" 2>&1
  local ops p99
  ops=$(awk '/^readrandomwriterandom/ {for (i = 1; i <= NF; i++) if ($i == "ops/sec") print $(i-1)}' "$out/$1-$4.log")
  p99=$(awk '/^Percentiles:/ {for (i = 1; i <= NF; i++) if ($i == "P99:") {print $(i+1); exit}}' "$out/$1-$4.log")
  [ -n "$ops" ] || { echo "realtime_overhead.sh: run $1-$4 failed; see $out/$1-$4.log" >&2; exit 1; }
  if [ "$1" = elmo-on ]; then
    [ -f "$out/db/elmo_journal.jsonl" ] || { echo "realtime_overhead.sh: elmo-on ran without the tuner" >&2; exit 1; }
    cp "$out/db/elmo_journal.jsonl" "$out/journal-$4.jsonl"
  elif [ -f "$out/db/elmo_journal.jsonl" ]; then
    echo "realtime_overhead.sh: $1 started a tuner" >&2; exit 1
  fi
  echo "$1 $4 $ops $p99" | tee -a "$out/results.txt" >&2
}
: > "$out/results.txt"
for r in $(seq 1 "$runs"); do
  run debian "$deb_lib" "$out/plain.ini" "$r"
  run elmo-off "$top/out/lib" "$out/plain.ini" "$r"
  run elmo-on "$top/out/lib" "$out/tuner.ini" "$r"
done
rm -rf "$out/db"
awk '
  { ops[$1] += $3; p99[$1] += $4; n[$1]++; all[$1] = all[$1] (all[$1] ? "/" : "") $3 }
  END {
    printf "| way | ops/s (mean; runs) | p99 us (mean) | ops/s vs debian | ops/s vs elmo-off |\n|---|---:|---:|---:|---:|\n"
    split("debian elmo-off elmo-on", w, " ")
    for (i = 1; i <= 3; i++) { k = w[i]; m[k] = ops[k] / n[k] }
    for (i = 1; i <= 3; i++) { k = w[i]
      printf "| %s | %.0f (%s) | %.1f | %.3f | %.3f |\n", k, m[k], all[k], p99[k] / n[k], m[k] / m["debian"], m[k] / m["elmo-off"] }
  }' "$out/results.txt" | tee "$out/summary.md"
