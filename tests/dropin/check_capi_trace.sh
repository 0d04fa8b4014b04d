#!/usr/bin/env bash
# check_capi_trace.sh CAPI_APP ELMO_OUT WORKDIR
# A C-API program (Debian's headers and library, options and a merge operator in code) runs on
# ELMo's library with ELMO_OPTIONS=elmo_trace=...; it is killed with SIGKILL mid-write. The trace
# must still be readable to its last whole record and hold the program's puts, merges, deletes,
# range deletes and gets; the DB must reopen with every acknowledged (synced) round.
set -euo pipefail
app=$1 out=$2 work=$3/capi-trace
rm -rf "$work"; mkdir -p "$work"
export LD_LIBRARY_PATH="$out/lib"
ELMO_OPTIONS="elmo_trace=$work/app-%n-%p.trace" "$app" "$work/db" write "$work/acked" &
pid=$!
for _ in $(seq 1 600); do   # at most 60 s for 500 synced rounds
  [ -s "$work/acked" ] && [ "$(cat "$work/acked")" -ge 499 ] && break
  kill -0 "$pid" 2>/dev/null || { echo "check_capi_trace: the program exited early" >&2; exit 1; }
  sleep 0.1
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
acked=$(cat "$work/acked")
[ "$acked" -ge 499 ] || { echo "check_capi_trace: only $acked rounds acknowledged" >&2; exit 1; }
trace=$(ls "$work"/app-db-*.trace)
analysis=$("$out/bin/elmo" trace analyze "$trace" --json) \
  || { echo "check_capi_trace: elmo trace analyze failed on the killed program's trace" >&2; exit 1; }
counts=$(echo "$analysis" | grep -o '"counts":{[^}]*}' | head -1)
for kind in put merge delete delete_range get; do
  echo "$counts" | grep -q "\"$kind\":[1-9]" \
    || { echo "check_capi_trace: no $kind in the trace's counts: $counts" >&2; exit 1; }
done
"$app" "$work/db" verify "$acked"
echo "check_capi_trace: killed after $acked synced rounds; trace $(stat -c %s "$trace") bytes analyzable; DB intact: ok"
