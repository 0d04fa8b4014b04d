#!/usr/bin/env bash
# run.sh TARGET SECONDS ELMO_OUT WORKDIR — builds a libFuzzer target from the pure C core with
# clang under ASan + UBSan and runs it for SECONDS, seeded with tests/fixtures/answers.
# Any sanitizer report or abort fails the test; the crashing input is kept in WORKDIR.
set -euo pipefail
target=$1 seconds=$2 out=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd); top=$(cd "$here/../.." && pwd)
command -v clang >/dev/null || { echo "run.sh: clang is not installed (./build.sh deps installs it)" >&2; exit 1; }
mkdir -p "$work/$target-corpus"
cp "$top"/tests/fixtures/answers/*.txt "$work/$target-corpus/"
cp "$top"/tests/fixtures/options/*.ini "$work/$target-corpus/" 2>/dev/null || true
bin="$work/$target"
# The modules the targets exercise, whole (no libcurl, no engine glue): base, options (OPTIONS
# files, values, the catalog) and advice (the answer parser and the calibrator). Whole folders, so
# a file added to one of them is built here too.
pure_sources() {
  local m
  for m in base options advice; do
    printf '%s ' "$top"/elmo/src/$m/*.c
  done
}
clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_POSIX_C_SOURCE=200809L -I "$top/elmo/include" -I "$top/elmo/src" \
  "$here/$target.c" $(pure_sources) -lcjson -lm -lpthread -o "$bin"
if [ "$target" = calibrate_fuzz ]; then
  "$out/bin/elmo" options --json > "$work/catalog.json"
  export ELMO_FUZZ_CATALOG="$work/catalog.json"
fi
cd "$work"
"$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$work/$target-corpus" 2>&1 | tail -15
echo "run.sh: $target ran ${seconds}s under ASan/UBSan with no findings"
