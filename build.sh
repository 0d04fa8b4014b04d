#!/usr/bin/env bash
# build.sh — the one entry point of ELMo.
#
#   ./build.sh           install build deps, fetch Debian's RocksDB 7.8.3-2 source, apply patches/,
#                        copy rocksdb/ in, build librocksdb.so.7.8 + db_bench + ldb + sst_dump + elmo into out/
#   ./build.sh test      the core's unit tests first (libelmo alone, no RocksDB; a failure stops
#                        here), then the above, then every other test (CTest) and the summary
#   ./build.sh sanitize [asan|tsan]...
#                        the sanitizer job: librocksdb.so only, from the same patched tree and CMake
#                        configuration, in build/asan (ASan+UBSan) and build/tsan (TSan), then the
#                        engine tests of the code that runs inside a host program (RealtimeThread.*,
#                        EnvSettings.*, TunedOverlay.*) against each; any sanitizer
#                        report fails it (tests/sanitize/, docs/BUILDING.md). Both by default.
#   ./build.sh clean     remove out/ and build/ (the unpacked tree and build directories)
#   ./build.sh deps      only install the build dependencies (root)
#   ./build.sh bench-deps
#                        install what the benchmarks need besides the build (root): python3-optuna
#                        for tools/bench/peers.sh (never a runtime or build dependency)
#
# Environment: ELMO_JOBS (parallel jobs, default: nproc), ELMO_SKIP_APT=1 (assume deps are present).
# See docs/BUILDING.md for how it works and what it costs.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD="$TOP/build"          # everything generated, gitignored
OUT="$TOP/out"              # what users get, gitignored
SRC="$BUILD/tree"           # Debian's source + our patches + rocksdb/ overlay: what is built
PRISTINE="$BUILD/rocksdb-src" # Debian's source package as unpacked (Debian's patches only)
DEBSRC="$BUILD/debian-dl"   # the downloaded .dsc/.orig.tar.gz/.debian.tar.xz
DEBBIN="$BUILD/debian-bin"  # Debian's binary packages, unpacked for the drop-in tests
CMAKE_DIR="$BUILD/cmake"    # RocksDB's CMake build directory
TESTS_DIR="$BUILD/tests"    # our tests' CMake build directory
CORE_TESTS_DIR="$BUILD/core-tests" # the core's unit tests (libelmo alone, no RocksDB)

ROCKSDB_DEB_VERSION="7.8.3-2"
ROCKSDB_VERSION="7.8.3"
JOBS="${ELMO_JOBS:-$(nproc)}"

BUILD_DEPS=(cmake ninja-build ccache g++ pkg-config libgflags-dev libsnappy-dev liblz4-dev libzstd-dev
            zlib1g-dev libbz2-dev libcurl4-openssl-dev libcjson-dev libgtest-dev dpkg-dev rsync patch
            binutils clang libclang-rt-14-dev patchelf locales)
# Only tools/bench/ uses these (peers.sh: Optuna's TPE sampler as a peer tuner).
BENCH_DEPS=(python3 python3-optuna)
# A decimal-comma locale for the tests that run ELMo the way a host under setlocale(LC_ALL, "")
# does (numbers must still be written and read with '.'; docs/DESIGN.md, "Numbers are locale-free").
TEST_LOCALE="de_DE.UTF-8"

say() { printf '[build.sh] %s\n' "$*"; }
die() { printf '[build.sh] error: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

# --- set-up -----------------------------------------------------------------------------------

missing_deps() {
  local p
  for p in "${@:-${BUILD_DEPS[@]}}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || printf '%s ' "$p"
  done
}

ensure_deb_src() {
  # apt-get source needs a deb-src entry for bookworm main; add ours if the machine has none.
  if grep -rqsE '^(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "no deb-src entry for Debian bookworm in /etc/apt, and adding one needs root: run as root or add 'deb-src http://deb.debian.org/debian bookworm main'"
  say "adding a deb-src entry for bookworm main (/etc/apt/sources.list.d/elmo-deb-src.sources)"
  cat > /etc/apt/sources.list.d/elmo-deb-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  APT_UPDATED=0
}

APT_UPDATED=0
apt_update_once() {
  [ "$APT_UPDATED" = 1 ] && return 0
  say "apt-get update"
  apt-get update -q >"$BUILD/apt-update.log" 2>&1 \
    || die "apt-get update failed (no access to Debian's archive?); see $BUILD/apt-update.log"
  APT_UPDATED=1
}

install_deps() {
  mkdir -p "$BUILD"
  if [ "${ELMO_SKIP_APT:-0}" != 1 ]; then
    local miss
    miss=$(missing_deps)
    if [ -n "$miss" ]; then
      [ "$(id -u)" = 0 ] || die "missing build dependencies: $miss— installing them needs root (run ./build.sh as root, or: sudo apt-get install $miss)"
      apt_update_once
      say "installing: $miss"
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $miss \
        >"$BUILD/apt-install.log" 2>&1 || die "apt-get install failed; see $BUILD/apt-install.log"
    fi
  fi
  ensure_test_locale
}

# Generates $TEST_LOCALE once (root only, needs the locales package): listed in /etc/locale.gen,
# so that a later locale-gen keeps it, and built with locale-gen --keep-existing (the others stay).
# Without it the decimal-comma tests skip, saying so.
ensure_test_locale() {
  local want="${TEST_LOCALE%.UTF-8}.utf8"
  locale -a 2>/dev/null | grep -qixF "$want" && return 0
  if [ "$(id -u)" != 0 ] || ! command -v locale-gen >/dev/null 2>&1; then
    say "note: no $TEST_LOCALE locale (generating it needs root and the locales package); the decimal-comma tests will skip"
    return 0
  fi
  say "generating the $TEST_LOCALE locale for the tests"
  if grep -qE "^# *$TEST_LOCALE UTF-8\$" /etc/locale.gen 2>/dev/null; then
    sed -i -E "s/^# *($TEST_LOCALE UTF-8)\$/\1/" /etc/locale.gen
  elif ! grep -qE "^$TEST_LOCALE UTF-8\$" /etc/locale.gen 2>/dev/null; then
    echo "$TEST_LOCALE UTF-8" >> /etc/locale.gen
  fi
  locale-gen --keep-existing >"$BUILD/locale-gen.log" 2>&1 \
    || die "locale-gen failed; see $BUILD/locale-gen.log"
  locale -a 2>/dev/null | grep -qixF "$want" || die "locale-gen did not make $TEST_LOCALE; see $BUILD/locale-gen.log"
}

# --- source -----------------------------------------------------------------------------------

fetch_source() {
  if [ -f "$PRISTINE/.elmo-unpacked" ]; then return 0; fi
  mkdir -p "$DEBSRC"
  if ! ls "$DEBSRC"/rocksdb_${ROCKSDB_DEB_VERSION}.dsc >/dev/null 2>&1; then
    ensure_deb_src
    apt_update_once
    say "fetching Debian's source package rocksdb=$ROCKSDB_DEB_VERSION"
    (cd "$DEBSRC" && apt-get source --download-only "rocksdb=$ROCKSDB_DEB_VERSION") \
      >"$BUILD/apt-source.log" 2>&1 \
      || die "could not fetch source package rocksdb=$ROCKSDB_DEB_VERSION from Debian's archive; see $BUILD/apt-source.log"
  fi
  rm -rf "$PRISTINE"
  say "unpacking with Debian's patches (dpkg-source -x)"
  dpkg-source -x "$DEBSRC/rocksdb_${ROCKSDB_DEB_VERSION}.dsc" "$PRISTINE" >"$BUILD/dpkg-source.log" 2>&1 \
    || die "dpkg-source -x failed; see $BUILD/dpkg-source.log"
  local v
  v=$(awk '/define ROCKSDB_(MAJOR|MINOR|PATCH)/{printf "%s%s", sep, $3; sep="."}' \
        "$PRISTINE/include/rocksdb/version.h")
  [ "$v" = "$ROCKSDB_VERSION" ] || die "source package has RocksDB $v, expected $ROCKSDB_VERSION"
  grep -q 'rocksdb_VERSION_LIB' "$PRISTINE/CMakeLists.txt" \
    || die "Debian's library_version.patch is not applied: the soname would not be librocksdb.so.7.8"
  touch "$PRISTINE/.elmo-unpacked"
}

# Build the patched tree in a staging directory, then sync it into $SRC comparing contents, so
# only files whose bytes changed get a new mtime and Ninja rebuilds just those.
prepare_tree() {
  local stage="$BUILD/stage"
  rm -rf "$stage"
  cp -a "$PRISTINE" "$stage"
  rm -f "$stage/.elmo-unpacked"
  local p
  if [ -f "$TOP/patches/series" ]; then
    while IFS= read -r p || [ -n "$p" ]; do
      p=${p%%#*}; p=$(echo "$p" | xargs)
      [ -z "$p" ] && continue
      [ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
      patch -d "$stage" -p1 --batch --forward --quiet -F0 < "$TOP/patches/$p" >"$BUILD/patch.log" 2>&1 \
        || { cat "$BUILD/patch.log" >&2; die "patch $p does not apply cleanly to RocksDB $ROCKSDB_DEB_VERSION"; }
      if find "$stage" -name '*.rej' -o -name '*.orig' | grep -q .; then
        die "patch $p left .rej/.orig files: it does not apply cleanly"
      fi
    done < "$TOP/patches/series"
  fi
  # rocksdb/ holds only files RocksDB does not have; changing an upstream file is a patch's job.
  local f rel
  while IFS= read -r -d '' f; do
    rel=${f#"$TOP/rocksdb/"}
    [ -e "$PRISTINE/$rel" ] && die "rocksdb/$rel exists upstream: change it with a patch in patches/, not a copy"
    mkdir -p "$stage/$(dirname "$rel")"
    cp "$f" "$stage/$rel"
  done < <(find "$TOP/rocksdb" -type f -print0)
  mkdir -p "$SRC"
  rsync -rlpc --delete "$stage/" "$SRC/"
  rm -rf "$stage"
}

# --- build ------------------------------------------------------------------------------------

# configure [DIR [EXTRA_COMPILE_FLAGS [EXTRA_LINK_FLAGS [CMAKE_ARG...]]]]: the one CMake
# configuration of RocksDB, into $CMAKE_DIR by default; the sanitizer builds add their flags.
configure() {
  local dir="${1:-$CMAKE_DIR}" xflags="${2:-}" xlink="${3:-}"
  shift $(( $# < 3 ? $# : 3 ))
  [ -f "$dir/build.ninja" ] && [ -f "$dir/.elmo-configured" ] && return 0
  mkdir -p "$dir"
  # Flags as Debian's build has them (dpkg-buildflags, CMake build type None: RTTI on, no NDEBUG),
  # less -g, which changes no code and only slows the build.
  local cflags="-O2 -fstack-protector-strong -Wformat -Werror=format-security -Wdate-time -D_FORTIFY_SOURCE=2"
  local ldflags="-Wl,-z,relro"
  local log="$BUILD/$(basename "$dir")-configure.log"
  say "configuring $(basename "$dir") (CMake + Ninja, build type None like Debian${xflags:+; + $xflags})"
  cmake -S "$SRC" -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_FLAGS="$cflags${xflags:+ $xflags}" -DCMAKE_CXX_FLAGS="$cflags${xflags:+ $xflags}" \
    -DCMAKE_SHARED_LINKER_FLAGS="$ldflags${xlink:+ $xlink}" -DCMAKE_EXE_LINKER_FLAGS="$ldflags${xlink:+ $xlink}" \
    -DWITH_BZ2=ON -DWITH_LZ4=ON -DWITH_ZLIB=ON -DWITH_ZSTD=ON -DWITH_SNAPPY=ON \
    -DWITH_LIBURING=OFF -DWITH_JEMALLOC=OFF \
    -DROCKSDB_BUILD_SHARED=ON -DWITH_BENCHMARK_TOOLS=ON -DWITH_CORE_TOOLS=ON -DWITH_TOOLS=ON \
    -DWITH_TESTS=ON -DPORTABLE=ON -DFAIL_ON_WARNINGS=OFF \
    -DELMO_SOURCE_DIR="$TOP/elmo" "$@" \
    >"$log" 2>&1 || { tail -30 "$log" >&2; die "CMake configure failed; see $log"; }
  touch "$dir/.elmo-configured"
}

setup_ccache() {
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
  # Paths under the checkout are hashed relative to it, so every clone shares one cache.
  export CCACHE_BASEDIR="$TOP" CCACHE_NOHASHDIR=1
  ccache --max-size=8G >/dev/null 2>&1 || true
}

build_targets() {
  setup_ccache
  say "building librocksdb.so.7.8, db_bench, ldb, sst_dump, elmo ($JOBS jobs)"
  local t0; t0=$(now)
  ninja -C "$CMAKE_DIR" -j "$JOBS" rocksdb-shared db_bench ldb sst_dump elmo_cli "$@" \
    || die "build failed (see the compiler output above)"
  say "built in $(( $(now) - t0 )) s"
}

install_out() {
  mkdir -p "$OUT/lib" "$OUT/bin" "$OUT/include"
  local so
  so=$(cd "$CMAKE_DIR" && ls librocksdb.so.${ROCKSDB_VERSION} 2>/dev/null) || die "librocksdb.so.$ROCKSDB_VERSION was not built"
  install -m 0755 "$CMAKE_DIR/$so" "$OUT/lib/$so"
  ln -sfn "$so" "$OUT/lib/librocksdb.so.7.8"
  ln -sfn "librocksdb.so.7.8" "$OUT/lib/librocksdb.so"
  install -m 0755 "$CMAKE_DIR/db_bench" "$OUT/bin/db_bench"
  install -m 0755 "$CMAKE_DIR/tools/ldb" "$OUT/bin/ldb"
  install -m 0755 "$CMAKE_DIR/tools/sst_dump" "$OUT/bin/sst_dump"
  install -m 0755 "$CMAKE_DIR/elmo" "$OUT/bin/elmo"
  rsync -rlc --delete "$SRC/include/rocksdb/" "$OUT/include/rocksdb/"
  rsync -rlc --delete "$TOP/elmo/include/elmo/" "$OUT/include/elmo/"
  # Tools find the library next to them, wherever out/ is moved (Debian's no_rpath.patch builds
  # them without one, for /usr/bin).
  local b
  for b in db_bench ldb sst_dump elmo; do
    patchelf --set-rpath '$ORIGIN/../lib' "$OUT/bin/$b" || die "patchelf failed on out/bin/$b"
  done
  say "out/: lib/$so (soname $(objdump -p "$OUT/lib/$so" | awk '/SONAME/{print $2}')), bin/{db_bench,ldb,sst_dump,elmo}"
}

do_build() {
  install_deps
  fetch_source
  prepare_tree
  configure
  build_targets
  install_out
}

# --- tests ------------------------------------------------------------------------------------

# Debian's own binary packages, unpacked (not installed) for the drop-in tests.
fetch_debian_binaries() {
  [ -f "$DEBBIN/.elmo-unpacked" ] && return 0
  mkdir -p "$DEBBIN/debs"
  local pkgs=(librocksdb7.8 librocksdb-dev rocksdb-tools)
  if ! ls "$DEBBIN"/debs/rocksdb-tools_*.deb >/dev/null 2>&1; then
    apt_update_once
    say "downloading Debian's ${pkgs[*]} ($ROCKSDB_DEB_VERSION) for the drop-in tests"
    (cd "$DEBBIN/debs" && apt-get download "${pkgs[@]/%/=$ROCKSDB_DEB_VERSION}") >"$BUILD/apt-download.log" 2>&1 \
      || die "could not download Debian's rocksdb binary packages; see $BUILD/apt-download.log"
  fi
  local d
  for d in "$DEBBIN"/debs/*.deb; do dpkg-deb -x "$d" "$DEBBIN/root"; done
  touch "$DEBBIN/.elmo-unpacked"
}

# RocksDB's own tests for the upstream files patches/ touches (see rocksdb/cmake/elmo.cmake).
UPSTREAM_TESTS=(configurable_test options_settable_test options_test)

# The core's unit tests, first: libelmo and its tests build without RocksDB in about a minute
# (seconds when ccache is warm) and run in seconds, so a broken core stops the job here.
run_core_tests() {
  setup_ccache
  if [ ! -f "$CORE_TESTS_DIR/build.ninja" ]; then
    cmake -S "$TOP/tests/core" -B "$CORE_TESTS_DIR" -G Ninja \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      >"$BUILD/core-tests-configure.log" 2>&1 \
      || { tail -30 "$BUILD/core-tests-configure.log" >&2; die "configuring the core's tests failed"; }
  fi
  say "building and running the core's unit tests (libelmo alone, before RocksDB)"
  ninja -C "$CORE_TESTS_DIR" -j "$JOBS" || die "building the core's tests failed"
  (cd "$CORE_TESTS_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 300) \
    || die "the core's unit tests failed (above); RocksDB was not built"
}

do_test() {
  install_deps
  run_core_tests
  do_build
  say "building RocksDB's upstream tests for patched files: ${UPSTREAM_TESTS[*]}"
  ninja -C "$CMAKE_DIR" -j "$JOBS" "${UPSTREAM_TESTS[@]}" || die "building upstream tests failed"
  fetch_debian_binaries
  mkdir -p "$TESTS_DIR"
  if [ ! -f "$TESTS_DIR/build.ninja" ]; then
    cmake -S "$TOP/tests" -B "$TESTS_DIR" -G Ninja \
      -DELMO_OUT="$OUT" -DELMO_DEBIAN_ROOT="$DEBBIN/root" -DELMO_ROCKSDB_BUILD="$CMAKE_DIR" \
      -DELMO_UPSTREAM_TESTS="${UPSTREAM_TESTS[*]}" \
      >"$BUILD/tests-configure.log" 2>&1 || { tail -30 "$BUILD/tests-configure.log" >&2; die "configuring tests failed"; }
  fi
  ninja -C "$TESTS_DIR" -j "$JOBS" || die "building tests failed"
  say "running tests"
  (cd "$TESTS_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 900)
}

# --- sanitizers -------------------------------------------------------------------------------

# The sanitizer job: librocksdb.so (nothing else) from $SRC with configure's one configuration
# plus RocksDB's own WITH_ASAN/WITH_UBSAN or WITH_TSAN, in build/asan and build/tsan; then the
# realtime tuner's engine tests (tests/sanitize/CMakeLists.txt) built with the same flags against
# it and run with every sanitizer report fatal. A hang (deadlock) is cut off by a timeout.
SANITIZERS=(asan tsan)
SAN_TEST_TIMEOUT="${ELMO_SAN_TIMEOUT:-1800}"

san_flags() {  # compile and link flags of the sanitizer $1 (RocksDB's options add the same)
  case "$1" in
    asan) echo "-fsanitize=address,undefined" ;;
    tsan) echo "-fsanitize=thread" ;;
  esac
}
san_rocksdb_options() {
  case "$1" in
    asan) echo "-DWITH_ASAN=ON -DWITH_UBSAN=ON $(san_compilers asan)" ;;
    tsan) echo "-DWITH_TSAN=ON $(san_compilers tsan)" ;;
  esac
}
san_compilers() {
  # ASan+UBSan with clang: GCC 12 takes over twice as long per file under -fsanitize=address,undefined
  # (its first 64 files of librocksdb.so took 14 min on 2 cores); TSan with GCC, the
  # compiler of the library we ship. The tests use the same compiler (one sanitizer runtime).
  case "$1" in
    asan) echo "-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14" ;;
    tsan) echo "" ;;
  esac
}
san_env() {  # the runtime options: the first report ends the run with a non-zero status
  local supp="$TOP/tests/sanitize"
  case "$1" in
    asan)
      echo "ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:exitcode=1"
      echo "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
      echo "LSAN_OPTIONS=exitcode=1"
      ;;
    tsan)
      echo "TSAN_OPTIONS=halt_on_error=1:exitcode=66:second_deadlock_stack=1$( [ -f "$supp/tsan.supp" ] && echo ":suppressions=$supp/tsan.supp")"
      ;;
  esac
}

# The sanitizer job's tests: all in one process, so the one that forks a writer to kill it is left
# to the normal run (a fork of a process whose RocksDB thread pools are running).
SAN_TESTS='RealtimeThread.*:EnvSettings.*:TunedOverlay.*:-EnvSettings.ATraceSurvivesSigkill'

sanitize_one() {
  local kind="$1" dir="$BUILD/$1" tdir="$BUILD/$1-tests" t0 flags
  flags="$(san_flags "$kind") -fno-omit-frame-pointer -g1"
  t0=$(now)
  # shellcheck disable=SC2046
  configure "$dir" "-fno-omit-frame-pointer -g1" "$(san_flags "$kind")" $(san_rocksdb_options "$kind")
  say "$kind: building librocksdb.so ($JOBS jobs)"
  ninja -C "$dir" -j "$JOBS" rocksdb-shared || die "$kind: building librocksdb.so failed"
  local so="$dir/librocksdb.so.$ROCKSDB_VERSION"
  [ -f "$so" ] || die "$kind: $so was not built"
  # The tests under UBSan leave out its vptr check: clang builds the ASan library without RTTI
  # (RocksDB's CMake enables it in Debug builds only), so it exports no typeinfo for the classes
  # the check would look up (link error: undefined typeinfo for rocksdb::DB).
  local tflags="$flags"
  [ "$kind" = asan ] && tflags="$flags -fno-sanitize=vptr"
  if [ ! -f "$tdir/build.ninja" ] || ! grep -qF -- "=$tflags" "$tdir/CMakeCache.txt" 2>/dev/null; then
    # shellcheck disable=SC2046
    cmake -S "$TOP/tests/sanitize" -B "$tdir" -G Ninja -DCMAKE_CXX_COMPILER_LAUNCHER=ccache $(san_compilers "$kind") \
      -DELMO_SAN_FLAGS="$tflags" -DELMO_SAN_LIB="$so" -DELMO_ROCKSDB_INCLUDE="$SRC/include" \
      >"$BUILD/$kind-tests-configure.log" 2>&1 \
      || { tail -30 "$BUILD/$kind-tests-configure.log" >&2; die "$kind: configuring tests/sanitize failed"; }
  fi
  ninja -C "$tdir" -j "$JOBS" || die "$kind: building the tests failed"
  say "$kind: built in $(( $(now) - t0 )) s; running $SAN_TESTS (log: $tdir/test.log)"
  local -a env; mapfile -t env < <(san_env "$kind")
  t0=$(now)
  local rc=0
  (cd "$tdir" && env "${env[@]}" timeout --signal=ABRT "$SAN_TEST_TIMEOUT" \
     ./engine_sanitize_tests --gtest_filter="$SAN_TESTS" --gtest_color=no) >"$tdir/test.log" 2>&1 || rc=$?
  tail -n 25 "$tdir/test.log"
  if [ "$rc" = 0 ] && grep -qE '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer|SUMMARY: [A-Za-z]+Sanitizer)|runtime error:' "$tdir/test.log"; then
    rc=99  # a report that did not change the exit status still fails the job
  fi
  if [ "$rc" = 0 ]; then
    say "$kind: $SAN_TESTS passed, no sanitizer reports ($(( $(now) - t0 )) s)"
  else
    say "$kind: FAILED (exit status $rc, $(( $(now) - t0 )) s); the full output is $tdir/test.log"
  fi
  return "$rc"
}

do_sanitize() {
  install_deps
  fetch_source
  prepare_tree
  setup_ccache
  local kinds=("$@") k failed=()
  [ ${#kinds[@]} -gt 0 ] || kinds=("${SANITIZERS[@]}")
  for k in "${kinds[@]}"; do
    [ -n "$(san_flags "$k")" ] || die "unknown sanitizer '$k' (use: ${SANITIZERS[*]})"
  done
  for k in "${kinds[@]}"; do
    sanitize_one "$k" || failed+=("$k")
  done
  [ ${#failed[@]} = 0 ] || die "sanitizer job failed: ${failed[*]}"
  say "sanitizer job passed: ${kinds[*]}"
}

install_bench_deps() {
  local miss
  miss=$(missing_deps "${BENCH_DEPS[@]}")
  [ -z "$miss" ] && { say "benchmark dependencies present"; return 0; }
  [ "$(id -u)" = 0 ] || die "missing benchmark dependencies: $miss— installing them needs root (sudo apt-get install $miss)"
  mkdir -p "$BUILD"
  apt_update_once
  say "installing: $miss"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $miss \
    >"$BUILD/apt-bench.log" 2>&1 || die "apt-get install failed; see $BUILD/apt-bench.log"
}

do_clean() {
  say "removing out/ and build/"
  rm -rf "$OUT" "$BUILD"
}

case "${1:-build}" in
  build|"") do_build ;;
  test)      do_test ;;
  sanitize)  shift; do_sanitize "$@" ;;
  clean)     do_clean ;;
  deps)      install_deps ;;
  bench-deps) install_bench_deps ;;
  -h|--help|help) sed -n '2,19p' "$0" ;;
  *) die "unknown command '$1' (use: build, test, sanitize, clean, deps, bench-deps)" ;;
esac
