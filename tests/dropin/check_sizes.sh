#!/usr/bin/env bash
# check_sizes.sh SIZES_DEBIAN SIZES_ELMO — the two builds of sizes.cc must print the same layout.
set -euo pipefail
a=$("$1") b=$("$2")
echo "$b"
[ "$(echo "$a" | wc -l)" -ge 8 ] || { echo "check_sizes: too little output from $1" >&2; exit 1; }
if [ "$a" != "$b" ]; then
  echo "check_sizes: struct layout differs between Debian's headers and ELMo's:" >&2
  diff <(echo "$a") <(echo "$b") >&2 || true
  exit 1
fi
echo "check_sizes: identical layout"
