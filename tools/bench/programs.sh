#!/usr/bin/env bash
# programs.sh [OUT_DIR] — the whole cycle on programs that are not presets, measured on the
# programs themselves (issue 16). Each program is Debian's own db_bench binary running a workload
# elmotune has no preset for, on data preloaded under RocksDB's defaults (4 KiB blocks, Snappy, no
# filters), as a real program's data is written under whatever options it had:
#   seek        seekrandomwhilewriting --seek_nexts=10 --threads=3 (1 writer, 3 seekers)
#   readmostly  readrandomwriterandom --readwritepercent=95 --threads=2
#   scanwriter  seekrandomwhilewriting --seek_nexts=50 --threads=2, the writer rate-limited
#   merge       readrandommergerandom --merge_operator=uint64add --mergereadpercent=30 --threads=2
# For each: (1) record it with ELMo's capture (ELMO_OPTIONS=elmo_trace=..., on ELMo's library);
# (2) tune with elmotune --elmo_trace --elmo_base_db (replay confirmation on, the data as it is);
# (3) run the program, alternating RUNS times on fresh copies of its data under the same memory
# limit as the trials, with RocksDB's defaults, the tuning guide's file (human_tuned.sh),
# best.ini and the best candidate the loop turned down — and, when elmotune reports a migration,
# best.ini after a full compaction (`--benchmarks=compact,<program>`); (4) measure the same files
# on the model (elmotune --elmo_compare on the modeled spec and the program's data). Prints a
# table per program, the geometric mean of best / better baseline, and the rank fidelity: the
# Spearman correlation of the model's ratios with the program's, and their mean error. Results
# and the command: docs/BENCHMARKS.md.
#
# Environment: NUM (300000 keys), DURATION (15 s per compared run), RUNS (3), MODEL_RUNS (2),
# TRACE_SEC (10), COMPARE_ARGS (the model runs' elmotune flags),
# PROGRAMS ("seek readmostly scanwriter merge"), MEMORY (1073741824), CPUS (2),
# TUNE_ARGS (elmotune flags; defaults below).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-programs}
num=${NUM:-300000} dur=${DURATION:-15} runs=${RUNS:-3} trace_sec=${TRACE_SEC:-10} model_runs=${MODEL_RUNS:-2}
programs=${PROGRAMS:-"seek readmostly scanwriter merge"}
mem=${MEMORY:-1073741824} cpus=${CPUS:-2}
tune_args=${TUNE_ARGS:---elmo_trial_sec=8 --elmo_warmup_sec=2 --elmo_iterations=5 --elmo_confirm=3 --elmo_confirm_max=6}
compare_args=${COMPARE_ARGS:---elmo_trial_sec=8 --elmo_warmup_sec=2}
. "$top/tools/bench/ways_lib.sh"
ways_init  # deb_bench, deb_lib, elmo_lib; an empty $out/results.txt

flags() {  # PROGRAM: the program's own db_bench flags
  case $1 in
    seek) echo "--benchmarks=seekrandomwhilewriting --seek_nexts=10 --threads=3 --value_size=400" ;;
    readmostly) echo "--benchmarks=readrandomwriterandom --readwritepercent=95 --threads=2 --value_size=400" ;;
    scanwriter) echo "--benchmarks=seekrandomwhilewriting --seek_nexts=50 --threads=2 --value_size=400" \
                     "--benchmark_write_rate_limit=2000000" ;;
    merge) echo "--benchmarks=readrandommergerandom --merge_operator=uint64add --mergereadpercent=30" \
                "--threads=2 --value_size=8" ;;
    *) echo "programs.sh: unknown program $1" >&2; exit 2 ;;
  esac
}
bench_of() { flags "$1" | sed 's/^--benchmarks=\([a-z]*\).*/\1/'; }
value_size_of() { flags "$1" | sed 's/.*--value_size=\([0-9]*\).*/\1/'; }
threads_of() {  # the program's client threads: the *whilewriting benchmarks add a writer
  local t
  t=$(flags "$1" | sed 's/.*--threads=\([0-9]*\).*/\1/')
  case $(bench_of "$1") in *whilewriting) echo $((t + 1)) ;; *) echo "$t" ;; esac
}

# A memory cgroup (v1, or v2) like the trials', around one command.
cg=""
if [ -d /sys/fs/cgroup/memory ]; then
  cg=/sys/fs/cgroup/memory/elmo-programs-$$
  mkdir -p "$cg"
  echo "$mem" > "$cg/memory.limit_in_bytes"
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cg=/sys/fs/cgroup/elmo-programs-$$
  mkdir -p "$cg"
  echo "$mem" > "$cg/memory.max"
fi
cleanup() { [ -n "$cg" ] && rmdir "$cg" 2> /dev/null || true; }
trap cleanup EXIT
limited() {
  if [ -n "$cg" ]; then
    sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' limited "$cg" "$@"
  else
    "$@"
  fi
}

defaults_ini() {  # PROGRAM
  printf '[Version]\n  rocksdb_version=7.8.3\n  options_file_version=1.1\n[DBOptions]\n[CFOptions "default"]\n'
  [ "$1" = merge ] && printf '  merge_operator=uint64add\n'
  printf '[TableOptions/BlockBasedTable "default"]\n'
}
with_merge() {  # PROGRAM FILE: the file, with the program's own merge operator
  if [ "$1" = merge ] && ! grep -q '^ *merge_operator=' "$2"; then
    sed '/^\[CFOptions "default"\]/a\  merge_operator=uint64add' "$2"
  else
    cat "$2"
  fi
}

run_program() {  # PROGRAM WAY OPTIONS_FILE REP [compact]
  local p=$1 way=$2 ini=$3 rep=$4 pre=${5:-} bench args ops
  bench=$(bench_of "$p")
  args=$(flags "$p")
  [ -n "$pre" ] && args=$(echo "$args" | sed "s/--benchmarks=/--benchmarks=compact,/")
  rm -rf "$out/$p/db"
  cp -a "$out/$p/base" "$out/$p/db"
  # shellcheck disable=SC2086
  limited env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH="$deb_lib" "$deb_bench" $args \
    --use_existing_db=1 --num="$num" --duration="$dur" --db="$out/$p/db" --options_file="$ini" \
    --cache_size=0 --bloom_bits=0 --histogram=1 > "$out/$p/$way-$rep.log" 2>&1
  ops=$(awk -v b="$bench" '$1 == b {for (i = 1; i <= NF; i++) if ($i == "ops/sec") print $(i-1)}' \
        "$out/$p/$way-$rep.log" | tail -1)
  [ -n "$ops" ] || { echo "programs.sh: $p $way run $rep failed; see $out/$p/$way-$rep.log" >&2; exit 1; }
  echo "$p $way $rep $ops" | tee -a "$out/results.txt" >&2
}

: > "$out/verdicts.txt"
: > "$out/model.txt"
for p in $programs; do
  mkdir -p "$out/$p"
  vs=$(value_size_of "$p")
  defaults_ini "$p" > "$out/$p/defaults.ini"
  "$top/tools/bench/human_tuned.sh" "$mem" "$cpus" > "$out/$p/guide-plain.ini"
  with_merge "$p" "$out/$p/guide-plain.ini" > "$out/$p/guide.ini"

  echo "== $p: preloading $num keys under RocksDB's defaults" >&2
  rm -rf "$out/$p/base"
  LD_LIBRARY_PATH="$deb_lib" "$deb_bench" --benchmarks=fillrandom --num="$num" --value_size="$vs" \
    --options_file="$out/$p/defaults.ini" --cache_size=0 --bloom_bits=0 --db="$out/$p/base" \
    > "$out/$p/preload.log" 2>&1

  echo "== $p: recording it for $trace_sec s (ELMo's capture)" >&2
  rm -rf "$out/$p/db" "$out/$p/app.trace"*
  cp -a "$out/$p/base" "$out/$p/db"
  # shellcheck disable=SC2046
  env -u ELMO_CONFIG LD_LIBRARY_PATH="$elmo_lib" ELMO_OPTIONS="elmo_trace=$out/$p/app.trace" "$deb_bench" \
    $(flags "$p") --use_existing_db=1 --num="$num" --duration="$trace_sec" --db="$out/$p/db" \
    --options_file="$out/$p/defaults.ini" --cache_size=0 --bloom_bits=0 > "$out/$p/record.log" 2>&1
  [ -s "$out/$p/app.trace" ] || { echo "programs.sh: no trace recorded; see $out/$p/record.log" >&2; exit 1; }

  echo "== $p: tuning ($tune_args)" >&2
  rm -rf "$out/$p/tune" "$out/$p/tune-db"
  merge_flag=""
  [ "$p" = merge ] && merge_flag="--merge_operator=uint64add"
  # shellcheck disable=SC2086
  env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH="$elmo_lib" "$top/out/bin/db_bench" --benchmarks=elmotune \
    --elmo_trace="$out/$p/app.trace" --elmo_base_db="$out/$p/base" --elmo_trace_threads="$(threads_of "$p")" \
    --elmo_cpus="$cpus" --elmo_memory="$mem" $merge_flag $tune_args --elmo_output_dir="$out/$p/tune" \
    --db="$out/$p/tune-db" > "$out/$p/tune.log" 2>&1
  grep '^elmotune:' "$out/$p/tune.log" | sed "s/^/$p: /" | tee -a "$out/verdicts.txt" >&2
  rm -rf "$out/$p/tune-db"
  with_merge "$p" "$out/$p/tune/best.ini" > "$out/$p/best.ini"
  migrate=$(jq -r '.summary.migration.measured' "$out/$p/tune/history.json")

  # Rank fidelity: one candidate the loop turned down joins the comparison, on the program and on
  # the model.
  rejected=$(jq -r '[.records[] | select((.kind == "tune" or .kind == "finetune") and .status == "ok"
                     and (.is_best | not))] | sort_by(-.score) | .[0].options_file // empty' \
             "$out/$p/tune/history.json")
  [ -n "$rejected" ] && rejected="$out/$p/tune/$rejected"
  ways="defaults guide best"
  [ -n "$rejected" ] && with_merge "$p" "$rejected" > "$out/$p/rejected.ini" && ways="$ways rejected"

  echo "== $p: the program with $ways, alternating" >&2
  for r in $(seq 1 "$runs"); do
    for w in $ways; do run_program "$p" "$w" "$out/$p/$w.ini" "$r"; done
    [ "$migrate" = true ] && run_program "$p" best-migrated "$out/$p/best.ini" "$r" compact
  done
  rm -rf "$out/$p/db"

  echo "== $p: the same files on the model (elmotune --elmo_compare)" >&2
  files=$(for w in $ways; do printf '%s,' "$out/$p/$w.ini"; done)
  # shellcheck disable=SC2086
  env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH="$elmo_lib" "$top/out/bin/db_bench" --benchmarks=elmotune \
    --elmo_compare="${files%,}" --elmo_compare_runs="$model_runs" --elmo_workload="$out/$p/tune/workload.json" \
    --elmo_base_db="$out/$p/base" --elmo_cpus="$cpus" --elmo_memory="$mem" $merge_flag $compare_args \
    --elmo_output_dir="$out/$p/compare" --db="$out/$p/compare-db" > "$out/$p/compare.log" 2>&1
  rm -rf "$out/$p/compare-db"
  i=0
  for w in $ways; do
    i=$((i + 1))
    ops=$(awk -v n="$((i + 1))" 'NR == n {print $3}' <(grep -A9 '^configuration' "$out/$p/compare.log"))
    echo "$p $w $ops" >> "$out/model.txt"
  done
done

awk '
  { k = $1 " " $2; s[k] += $4; q[k] += $4 * $4; n[k]++; seen[$1] = 1; ways[$1] = ways[$1] " " $2 }
  END {
    printf "| program | defaults ops/s | guide ops/s | best.ini ops/s | best after migration | best / better baseline |\n"
    printf "|---|---:|---:|---:|---:|---:|\n"
    logsum = 0; np = 0
    for (p in seen) {
      split("defaults guide best best-migrated", w, " ")
      for (i = 1; i <= 4; i++) {
        k = p " " w[i]
        if (n[k] > 0) { m[i] = s[k] / n[k]; sd[i] = sqrt(q[k] / n[k] - m[i] * m[i]); cell[i] = sprintf("%.0f ± %.0f", m[i], sd[i]) }
        else { m[i] = 0; cell[i] = "-" }
      }
      better = m[1] > m[2] ? m[1] : m[2]
      ratio = better > 0 ? m[3] / better : 0
      if (ratio > 0) { logsum += log(ratio); np++ }
      printf "| %s | %s | %s | %s | %s | %.3f |\n", p, cell[1], cell[2], cell[3], cell[4], ratio
    }
    if (np > 0) printf "\ngeometric mean of best / better baseline over %d programs: %.3f\n", np, exp(logsum / np)
  }' "$out/results.txt" | tee "$out/summary.md"

# Rank fidelity per program: do the model's ratios (to defaults) order the files as the program's do?
python3 - "$out/results.txt" "$out/model.txt" <<'PY' | tee -a "$out/summary.md"
import math, sys
from collections import defaultdict
prog = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    p, w, _, ops = line.split()
    prog[p][w].append(float(ops))
model = defaultdict(dict)
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) == 3 and f[2] not in ("", "0"):
        model[f[0]][f[1]] = float(f[2])
def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    for k, i in enumerate(order): r[i] = k + 1.0
    return r
print("\n| program | files | Spearman rank correlation, model vs program | mean ratio error (model/program, vs defaults) |")
print("|---|---|---:|---:|")
for p in prog:
    ways = [w for w in ("defaults", "guide", "best", "rejected") if w in prog[p] and w in model[p]]
    if len(ways) < 3 or model[p].get("defaults", 0) <= 0:
        print(f"| {p} | {' '.join(ways)} | - | - |"); continue
    pm = [sum(prog[p][w]) / len(prog[p][w]) for w in ways]
    mm = [model[p][w] for w in ways]
    rp, rm = ranks(pm), ranks(mm)
    n = len(ways)
    rho = 1 - 6 * sum((a - b) ** 2 for a, b in zip(rp, rm)) / (n * (n * n - 1))
    err = sum(abs(math.log((mm[i] / mm[0]) / (pm[i] / pm[0]))) for i in range(1, n)) / (n - 1)
    print(f"| {p} | {' '.join(ways)} | {rho:.2f} | {math.exp(err) - 1:.1%} |")
PY
