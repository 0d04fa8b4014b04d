# ways_lib.sh — sourced by the "ways" benchmarks (realtime_overhead.sh, unchanged_overhead.sh):
# one program (Debian's own db_bench binary, as a drop-in user runs it) on a copy of the same
# preloaded DB, several ways (library, OPTIONS file, environment), alternating, RUNS times each,
# then ops/s and p99 per way with the ratios to the first way.
#
# The caller sets: top, out, num, vsize, dur, threads, pct, runs; then calls ways_init, ways_preload
# [OPTIONS_ARGS...], ways_run NAME LIB ENV REP [OPTIONS_ARGS...] (ENV: "" or "VAR=value ...") and
# ways_summary NAME....

ways_init() {
  deb_root="$top/build/debian-bin/root"
  deb_bench="$deb_root/usr/bin/db_bench"
  deb_lib=$(dirname "$(find "$deb_root/usr/lib" -name 'librocksdb.so.7.8' | head -1)")
  elmo_lib="$top/out/lib"
  [ -x "$deb_bench" ] || { echo "$0: Debian's binaries are unpacked by ./build.sh test first" >&2; exit 2; }
  [ -f "$elmo_lib/librocksdb.so.7.8" ] || { echo "$0: build first (./build.sh)" >&2; exit 2; }
  mkdir -p "$out"
  : > "$out/results.txt"
}

ways_preload() {  # [extra db_bench args...]
  echo "== preloading $num keys" >&2
  rm -rf "$out/base"
  LD_LIBRARY_PATH="$deb_lib" "$deb_bench" --benchmarks=fillrandom,compact --num="$num" --value_size="$vsize" \
    --db="$out/base" "$@" > "$out/preload.log" 2>&1
}

ways_run() {  # name lib env rep [extra db_bench args...]
  local name=$1 lib=$2 env=$3 rep=$4
  shift 4
  rm -rf "$out/db"
  cp -a "$out/base" "$out/db"
  env -u ELMO_OPTIONS -u ELMO_CONFIG LD_LIBRARY_PATH="$lib" $env "$deb_bench" \
    --benchmarks=readrandomwriterandom --readwritepercent="$pct" --use_existing_db=1 --num="$num" \
    --value_size="$vsize" --duration="$dur" --threads="$threads" --db="$out/db" --histogram=1 "$@" \
    > "$out/$name-$rep.log" 2>&1
  local ops p99
  ops=$(awk '/^readrandomwriterandom/ {for (i = 1; i <= NF; i++) if ($i == "ops/sec") print $(i-1)}' "$out/$name-$rep.log")
  p99=$(awk '/^Percentiles:/ {for (i = 1; i <= NF; i++) if ($i == "P99:") {print $(i+1); exit}}' "$out/$name-$rep.log")
  [ -n "$ops" ] || { echo "$0: run $name-$rep failed; see $out/$name-$rep.log" >&2; exit 1; }
  echo "$name $rep $ops $p99" | tee -a "$out/results.txt" >&2
}

ways_summary() {  # way... (the first is the reference)
  awk -v ways="$*" '
    { ops[$1] += $3; p99[$1] += $4; n[$1]++; all[$1] = all[$1] (all[$1] ? "/" : "") $3 }
    END {
      k = split(ways, w, " ")
      printf "| way | ops/s (mean; runs) | p99 us (mean) | ops/s vs %s |\n|---|---:|---:|---:|\n", w[1]
      for (i = 1; i <= k; i++) m[w[i]] = ops[w[i]] / n[w[i]]
      for (i = 1; i <= k; i++)
        printf "| %s | %.0f (%s) | %.1f | %.3f |\n", w[i], m[w[i]], all[w[i]], p99[w[i]] / n[w[i]], m[w[i]] / m[w[1]]
    }' "$out/results.txt" | tee "$out/summary.md"
}
