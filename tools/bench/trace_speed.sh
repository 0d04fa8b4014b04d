#!/usr/bin/env bash
# trace_speed.sh [OUT_DIR] — speed and memory of ELMo's trace reader (`elmo trace analyze --json`)
# against RocksDB's own trace_analyzer on the same big query trace: runs alternate A B A B ...,
# each under /usr/bin/time -v (wall time, peak RSS); prints records/s and the ratios.
# Results and the reading: docs/BENCHMARKS.md.
#
# Both tools read every record; both count keys exactly here (1M keys is under elmo's
# exact_key_limit of 2^20 per class; beyond it elmo switches to sketches, trace_analyzer does not).
#
# Environment: TRACE (an existing trace to use; default: generate OUT_DIR/big.trace),
# NUM (keys, 1000000), OPS_PER_THREAD (7500000), GEN_THREADS (2): the generated trace is
# readrandomwriterandom 50% over NUM 16-byte keys, 100-byte values, GEN_THREADS x OPS_PER_THREAD
# operations on a DB filled by fillseq. RUNS (3 per tool), KEEP (1 keeps the trace),
# TRACE_ANALYZER (default build/cmake/trace_analyzer: `ninja -C build/cmake trace_analyzer`),
# DB_BENCH, ELMO. SUMMARY_ONLY=1 (with TRACE=...) rebuilds the table from an earlier run's time files.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-trace-speed}
db_bench=${DB_BENCH:-"$top/out/bin/db_bench"}
elmo=${ELMO:-"$top/out/bin/elmo"}
ta=${TRACE_ANALYZER:-"$top/build/cmake/trace_analyzer"}
export LD_LIBRARY_PATH="$top/out/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
[ -x "$ta" ] || { echo "trace_speed.sh: no $ta (ninja -C build/cmake trace_analyzer)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "trace_speed.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v jq > /dev/null || { echo "trace_speed.sh: needs jq" >&2; exit 2; }
num=${NUM:-1000000} ops=${OPS_PER_THREAD:-7500000} gthreads=${GEN_THREADS:-2} runs=${RUNS:-3}
keep=${KEEP:-0}
mkdir -p "$out"
trace=${TRACE:-"$out/big.trace"}
if [ -z "${TRACE:-}" ]; then
  echo "== generating $trace: readrandomwriterandom 50%, $gthreads x $ops ops over $num keys" >&2
  rm -rf "$out/db" "$trace"
  "$db_bench" --benchmarks=fillseq --db="$out/db" --num="$num" --key_size=16 --value_size=100 \
    --compression_ratio=0.5 --disable_wal=1 > "$out/gen-fill.log" 2>&1
  "$db_bench" --benchmarks=readrandomwriterandom --readwritepercent=50 --db="$out/db" \
    --use_existing_db=1 --num="$num" --key_size=16 --value_size=100 --compression_ratio=0.5 \
    --threads="$gthreads" --reads="$ops" --trace_file="$trace" > "$out/gen.log" 2>&1
  grep -E "^readrandomwriterandom " "$out/gen.log" >&2 || true
  rm -rf "$out/db"
fi
# Records (ops) in the trace, from elmo's characterization (not timed).
records=$("$elmo" trace analyze "$trace" --json | jq .ops)
echo "== $trace: $(du -h "$trace" | cut -f1), $records ops" >&2

elmo_cmd=("$elmo" trace analyze "$trace" --json)
ta_cmd=("$ta" -trace_path="$trace" -output_dir="$out/ta" -analyze_get -analyze_put
        -analyze_iterator -analyze_delete -analyze_merge -analyze_multiget
        -output_key_distribution -output_value_distribution -output_access_count_stats
        -output_qps_stats -print_top_k_access=10 -no_key)
measure() {  # NAME RUN CMD...: one timed run, a row "NAME RUN wall_s rss_kb cpu_s"
  local name=$1 run=$2; shift 2
  rm -rf "$out/ta"; mkdir -p "$out/ta"
  /usr/bin/time -v -o "$out/time-$name-$run.txt" "$@" > "$out/stdout-$name-$run.txt" 2>&1
  summarize_run "$name" "$run" | tee -a "$out/runs.txt" >&2
}
summarize_run() {  # NAME RUN: wall s, peak RSS KiB, user + system CPU s from time -v
  awk -F': ' -v name="$1" -v run="$2" '
    /Elapsed \(wall clock\)/ {n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i]}
    /Maximum resident set size/ {rss = $2}
    /User time|System time/ {cpu += $2}
    END {print name, run, w, rss, cpu}' "$out/time-$1-$2.txt"
}
if [ "${SUMMARY_ONLY:-0}" = 1 ]; then  # re-summarize the time files of an earlier run
  : > "$out/runs.txt"
  for i in $(seq 1 "$runs"); do
    for t in elmo trace_analyzer; do summarize_run "$t" "$i" >> "$out/runs.txt"; done
  done
else
  : > "$out/runs.txt"
  for i in $(seq 1 "$runs"); do
    measure elmo "$i" "${elmo_cmd[@]}"
    measure trace_analyzer "$i" "${ta_cmd[@]}"
  done
fi
echo "elmo: ${elmo_cmd[*]} > /dev/null" > "$out/commands.txt"
echo "trace_analyzer: ${ta_cmd[*]}" >> "$out/commands.txt"
awk -v n="$records" '
  {w[$1] += $3; cpu[$1] += $5; r[$1] = ($4 > r[$1] ? $4 : r[$1]); c[$1]++
   all[$1] = all[$1] sprintf(" %.1f", $3)}
  END {
    printf "| tool | wall s (runs in order) | mean wall s | records/s (wall) | mean CPU s (user+sys) | records/CPU-s | peak RSS MiB |\n"
    printf "|---|---|---:|---:|---:|---:|---:|\n"
    for (t in w) printf "| %s |%s | %.1f | %.0f | %.1f | %.0f | %.0f |\n", t, all[t], w[t] / c[t],
      n / (w[t] / c[t]), cpu[t] / c[t], n / (cpu[t] / c[t]), r[t] / 1024
    printf "\ntrace_analyzer / elmo: wall time %.2f, CPU time %.2f, peak RSS %.2f\n",
      (w["trace_analyzer"] / c["trace_analyzer"]) / (w["elmo"] / c["elmo"]),
      (cpu["trace_analyzer"] / c["trace_analyzer"]) / (cpu["elmo"] / c["elmo"]),
      r["trace_analyzer"] / r["elmo"]
  }' "$out/runs.txt" | tee "$out/table.md"
rm -rf "$out/ta"
[ "$keep" = 1 ] || [ -n "${TRACE:-}" ] || rm -f "$trace"
