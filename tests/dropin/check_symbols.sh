#!/usr/bin/env bash
# check_symbols.sh DEBIAN_SO ELMO_SO
# Every dynamic symbol Debian's librocksdb.so.7.8 defines must be defined by ELMo's too, and ELMo's
# must export elmo_version. Prints the missing symbols (demangled) when it fails.
set -euo pipefail
deb=$1 ours=$2
for f in "$deb" "$ours"; do [ -f "$f" ] || { echo "check_symbols: no such file: $f" >&2; exit 2; }; done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
syms() { nm -D --defined-only "$1" | awk '{print $NF}' | sort -u; }
syms "$deb" > "$tmp/deb"
syms "$ours" > "$tmp/ours"
comm -23 "$tmp/deb" "$tmp/ours" > "$tmp/missing"
n_deb=$(wc -l < "$tmp/deb"); n_ours=$(wc -l < "$tmp/ours"); n_miss=$(wc -l < "$tmp/missing")
echo "check_symbols: Debian exports $n_deb symbols, ELMo $n_ours; missing from ELMo: $n_miss"
[ "$n_deb" -gt 1000 ] || { echo "check_symbols: implausibly few symbols in $deb" >&2; exit 1; }
if [ "$n_miss" -ne 0 ]; then
  head -50 "$tmp/missing" | c++filt | sed 's/^/  missing: /'
  exit 1
fi
grep -qx elmo_version "$tmp/ours" || { echo "check_symbols: ELMo's library does not export elmo_version" >&2; exit 1; }
grep -qx elmo_version "$tmp/deb" && { echo "check_symbols: $deb exports elmo_version: it is not Debian's" >&2; exit 1; }
echo "check_symbols: ELMo's exports are a superset of Debian's"
