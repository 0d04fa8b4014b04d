#!/usr/bin/env bash
# check_modules.sh OBJECT_DIR MODULE...
# The core's architecture, checked on its object files (elmo/CMakeLists.txt builds one OBJECT
# library per module folder; OBJECT_DIR is that project's CMakeFiles directory):
#  - a module uses only the modules listed before it (MODULE... in dependency order), never a
#    later one: the layering docs/DESIGN.md draws;
#  - no two files call each other, directly or around a longer loop: each file's job sits above or
#    below every other's, never both.
# A use is an undefined symbol of one object that another object defines. Prints each violation
# with the symbol that makes it.
set -euo pipefail
dir=$1; shift
[ -d "$dir" ] || { echo "check_modules: no such directory: $dir" >&2; exit 2; }
[ $# -gt 1 ] || { echo "check_modules: name the modules in dependency order" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

rank=0
for m in "$@"; do
  rank=$((rank + 1))
  found=0
  while IFS= read -r -d '' o; do
    found=1
    f="$m/$(basename "${o%.c.o}")"
    nm "$o" | awk -v f="$f" -v r="$rank" '
      NF == 3 && $2 ~ /^[TDBR]$/ { print "D", f, r, $3 }
      NF == 2 && $1 == "U"        { print "U", f, r, $2 }' >> "$tmp/syms"
  done < <(find "$dir/elmo_$m.dir" -name '*.c.o' -print0 2>/dev/null)
  [ "$found" = 1 ] || { echo "check_modules: no objects of module $m under $dir" >&2; exit 2; }
done

awk '
  $1 == "D" { owner[$4] = $2; rank[$2] = $3; next }
  $1 == "U" { use[++n] = $2 SUBSEP $4; urank[$2] = $3 }
  END {
    bad = 0
    for (i = 1; i <= n; i++) {
      split(use[i], p, SUBSEP); f = p[1]; s = p[2]
      if (!(s in owner) || owner[s] == f) continue
      g = owner[s]
      if (rank[g] > urank[f]) { printf "  %s uses %s (%s), a later module\n", f, g, s; bad = 1 }
      if (!((f, g) in edge)) { edge[f, g] = s; files[f]; files[g] }
    }
    # reach[a, b]: a uses b, directly or through other files (Warshall closure)
    for (k in edge) reach[k] = 1
    for (k in files) for (a in files) if ((a, k) in reach) for (b in files) if ((k, b) in reach) reach[a, b] = 1
    for (k in edge) {
      split(k, p, SUBSEP)
      if ((p[2], p[1]) in reach && p[1] < p[2]) {
        printf "  %s and %s use each other (%s, ...)\n", p[1], p[2], edge[k]; bad = 1
      }
    }
    exit bad
  }' "$tmp/syms" > "$tmp/report" || { echo "check_modules: the core's layering is broken:"; cat "$tmp/report"; exit 1; }
echo "check_modules: $# modules, $(awk '$1 == "D"' "$tmp/syms" | cut -d' ' -f2 | sort -u | wc -l) files: every use points to an earlier module or file, no loops"
