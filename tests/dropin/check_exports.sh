#!/usr/bin/env bash
# check_exports.sh DEBIAN_SO ELMO_SO PUBLIC_HEADER_DIR
# ELMo's library may export nothing private. Every dynamic symbol it defines that Debian's
# librocksdb.so.7.8 does not is one of:
#  - a function of the public C API: declared with ELMO_API in a header of PUBLIC_HEADER_DIR
#    (elmo/include/elmo); and every such declaration is exported, so the two lists are equal;
#  - a weak instance of a standard-library template (std::vector<elmo_message>::~vector, ...):
#    libstdc++ gives namespace std default visibility, so an instance over a public type is
#    exported by every library that makes one; it carries no behaviour of ELMo's.
#  - one glue accessor RocksDB's own options tests (patches/0006, linked against the shared
#    library) read the elmo_* keys through: rocksdb::ElmoRealtimeConfig, its two overloads.
# Anything else (a core function without ELMO_API, a glue class, a patch's new member) fails,
# named and demangled.
set -euo pipefail
deb=$1 ours=$2 headers=$3
for f in "$deb" "$ours"; do [ -f "$f" ] || { echo "check_exports: no such file: $f" >&2; exit 2; }; done
[ -d "$headers" ] || { echo "check_exports: no such directory: $headers" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$deb" | awk '{print $NF}' | sort -u > "$tmp/deb"
nm -D --defined-only "$ours" | awk '{print $2, $3}' | sort -k2 -u > "$tmp/ours.typed"
awk '{print $2}' "$tmp/ours.typed" | comm -23 - "$tmp/deb" > "$tmp/extra"
# The public API: the names ELMO_API declares (a declaration starts a line with ELMO_API and names
# the function before its first parenthesis).
grep -h '^ELMO_API ' "$headers"/*.h | grep -o '^[^(]*(' \
  | sed -E 's/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*) *\($/\1/' | sort -u > "$tmp/api"

: > "$tmp/private"
: > "$tmp/std"
: > "$tmp/glue"
while read -r sym; do
  if grep -qx "$sym" "$tmp/api"; then continue; fi
  type=$(awk -v s="$sym" '$2 == s {print $1; exit}' "$tmp/ours.typed")
  name=$(echo "$sym" | c++filt)
  if [[ "$name" =~ ^rocksdb::ElmoRealtimeConfig\(rocksdb::(Immutable)?DBOptions\ const\&\)$ ]]; then
    echo "$name" >> "$tmp/glue"
  elif [[ "$type" =~ ^[WV]$ ]] && [[ "$name" =~ ^(void\ |bool\ )?std:: ]]; then
    echo "$name" >> "$tmp/std"
  else
    echo "$type $name" >> "$tmp/private"
  fi
done < "$tmp/extra"
comm -23 "$tmp/api" <(sort -u "$tmp/extra") > "$tmp/unexported"

n_api=$(wc -l < "$tmp/api"); n_extra=$(wc -l < "$tmp/extra")
n_std=$(wc -l < "$tmp/std"); n_glue=$(wc -l < "$tmp/glue"); n_priv=$(wc -l < "$tmp/private"); n_unexp=$(wc -l < "$tmp/unexported")
echo "check_exports: $n_extra symbols beyond Debian's: $((n_extra - n_std - n_glue - n_priv)) public elmo API" \
     "(of $n_api declared), $n_std standard-library template instances, $n_glue for RocksDB's options tests," \
     "$n_priv private"
[ "$n_api" -gt 100 ] || { echo "check_exports: implausibly few ELMO_API declarations in $headers" >&2; exit 1; }
rc=0
if [ "$n_priv" -ne 0 ]; then
  sed 's/^/  private, exported: /' "$tmp/private" | head -50
  rc=1
fi
if [ "$n_unexp" -ne 0 ]; then
  sed 's/^/  declared ELMO_API, not exported: /' "$tmp/unexported" | head -50
  rc=1
fi
[ "$rc" = 0 ] && echo "check_exports: the library exports Debian's symbols and the public elmo API only"
exit "$rc"
