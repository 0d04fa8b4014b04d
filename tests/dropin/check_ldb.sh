#!/usr/bin/env bash
# check_ldb.sh DEBIAN_LDB ELMO_LIBDIR WORKDIR
# Debian's unmodified ldb (rocksdb-tools) runs on ELMo's library: put, get, batchput, scan, and
# the dynamic loader really resolved librocksdb.so.7.8 to ELMo's copy.
set -euo pipefail
ldb=$1 libdir=$2 work=$3
db="$work/ldb-db"
rm -rf "$db"; mkdir -p "$work"
export LD_LIBRARY_PATH="$libdir"
resolved=$(ldd "$ldb" | awk '/librocksdb\.so\.7\.8/{print $3}')
[ "$(readlink -f "$resolved")" = "$(readlink -f "$libdir/librocksdb.so.7.8")" ] \
  || { echo "check_ldb: ldb resolves librocksdb.so.7.8 to '$resolved', not ELMo's in $libdir" >&2; exit 1; }
run() { "$ldb" --db="$db" "$@"; }
run --create_if_missing put alpha one
run batchput beta two gamma three delta four
got=$(run get alpha); [ "$got" = "one" ] || { echo "check_ldb: get alpha gave '$got'" >&2; exit 1; }
run delete delta
scan=$(run scan)
want=$'alpha : one\nbeta : two\ngamma : three'
[ "$scan" = "$want" ] || { printf 'check_ldb: scan gave:\n%s\nwant:\n%s\n' "$scan" "$want" >&2; exit 1; }
run compact
[ "$(run get gamma)" = "three" ] || { echo "check_ldb: value lost after compact" >&2; exit 1; }
# The process really had ELMo's library mapped (output captured first: grep -q would close the
# pipe early and pipefail would count ldb's SIGPIPE).
trace=$(LD_DEBUG=libs "$ldb" --db="$db" get beta 2>&1)
echo "$trace" | grep -q "calling init: $libdir/librocksdb.so.7.8" \
  || { echo "check_ldb: the loader did not initialise $libdir/librocksdb.so.7.8" >&2; exit 1; }
echo "check_ldb: Debian's ldb put/get/batchput/delete/scan/compact on ELMo's library: ok"
