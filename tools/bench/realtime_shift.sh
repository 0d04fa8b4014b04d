#!/usr/bin/env bash
# realtime_shift.sh [OUT_DIR] — the realtime tuner against a workload shift (the ELMo-Tune-V2
# paper's Figure 13 scenario): a rate-capped 100% write phase, then 50/50, then 85/15 reads/
# writes, in one process on one DB. The starting OPTIONS file is tuned offline by elmotune for
# the first phase only (TUNE=1) or is RocksDB's defaults (TUNE=0). It is run with the tuner off
# (the file as it is) and on (the same file plus elmo_autotune=true), alternating, RUNS times each;
# prints throughput and p99 per phase, writes summary.md and shift.svg. docs/BENCHMARKS.md.
#
# Environment: PHASE_SEC (60), THREADS (2), KEYS (1000000), WRITE_QPS (20000), VALUE_BYTES (400),
# RUNS (2), INTERVAL (5: elmo_interval_sec), WATCH (3: elmo_watch_intervals, when switchback is
# off), SB_PAIRS (4: elmo_switchback_pairs; 0 judges changes by the watch), SB_BLOCK (INTERVAL:
# elmo_switchback_block_sec), SB_SETTLE (1: elmo_switchback_settle_sec), SCENARIO (mix, or
# hotset: key popularity moves under a steady 90/10 mix, realtime_shift.cc), TUNE (1),
# TUNE_ITERATIONS (4), ELMO_OUT (the build's out/ directory; point it at a copy to rebuild during
# a run), PLAYBOOK (0; 1: elmotune tunes the mix scenario's phases 2 and 3 offline, as the presets
# readrandomwriterandom:50 and :85 on the same keys and values, merging each confirmed best into
# OUT_DIR/playbook.json, which the tuner-on runs get as elmo_playbook), PB_ITERATIONS (4).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/elmo-rt-shift}
elmo_out=${ELMO_OUT:-"$top/out"}
phase=${PHASE_SEC:-60} threads=${THREADS:-2} keys=${KEYS:-1000000} qps=${WRITE_QPS:-20000}
vbytes=${VALUE_BYTES:-400} runs=${RUNS:-2} interval=${INTERVAL:-5} watch=${WATCH:-3} tune=${TUNE:-1}
sb_pairs=${SB_PAIRS:-4} sb_block=${SB_BLOCK:-$interval} sb_settle=${SB_SETTLE:-1} scenario=${SCENARIO:-mix}
[ -f "$elmo_out/lib/librocksdb.so" ] || { echo "realtime_shift.sh: build first (./build.sh)" >&2; exit 2; }
mkdir -p "$out"
bin="$out/realtime_shift"
c++ -O2 -std=c++17 -o "$bin" "$top/tools/bench/realtime_shift.cc" -I "$elmo_out/include" \
  -L "$elmo_out/lib" -lrocksdb -Wl,-rpath,"$elmo_out/lib" -lpthread

# The starting file: what the offline tuner says for phase 1 alone, or the defaults.
cp "$top/tools/bench/plain.ini" "$out/defaults.ini"
start="$out/defaults.ini"
if [ "$tune" = 1 ]; then
  cat > "$out/phase1.json" <<EOF
{"name": "phase1-ingest", "num_keys": $keys, "key_size": {"dist": "fixed", "value": 19},
 "preload": false,
 "phases": [{"name": "ingest", "duration_sec": 20, "threads": $threads, "mix": {"put": 1},
             "key_access": {"dist": "uniform"}, "value_size": {"dist": "fixed", "value": $vbytes},
             "rate": {"kind": "fixed", "qps": $qps}}]}
EOF
  echo "== tuning for phase 1 only (elmotune, built-in advisor)" >&2
  rm -rf "$out/tune"
  "$elmo_out/bin/db_bench" --benchmarks=elmotune --elmo_workload="$out/phase1.json" \
    --elmo_iterations="${TUNE_ITERATIONS:-4}" --elmo_output_dir="$out/tune" 2> "$out/tune.log" | tail -2 >&2
  start="$out/tune/best.ini"
fi
playbook_line=""
if [ "${PLAYBOOK:-0}" = 1 ]; then
  rm -f "$out/playbook.json"
  for pct in 50 85; do
    echo "== playbook: elmotune on readrandomwriterandom:$pct ($keys keys, $vbytes-byte values)" >&2
    rm -rf "$out/pb-$pct"
    "$elmo_out/bin/db_bench" --benchmarks=elmotune --elmo_workload=readrandomwriterandom:$pct --num="$keys" \
      --key_size=19 --value_size="$vbytes" --threads="$threads" --elmo_iterations="${PB_ITERATIONS:-4}" \
      --elmo_trial_sec=10 --elmo_warmup_sec=3 --elmo_playbook="$out/playbook.json" \
      --elmo_output_dir="$out/pb-$pct" 2> "$out/pb-$pct.log" | tail -1 >&2
    grep "playbook:" "$out/pb-$pct.log" | tail -1 >&2 || true
  done
  [ -f "$out/playbook.json" ] && playbook_line="  elmo_playbook=$out/playbook.json"
fi
cp "$start" "$out/off.ini"
awk -v iv="$interval" -v w="$watch" -v sp="$sb_pairs" -v sb="$sb_block" -v ss="$sb_settle" '{print} /^\[DBOptions\]/ {print "  elmo_autotune=true\n  elmo_interval_sec=" iv "\n  elmo_watch_intervals=" w "\n  elmo_switchback_pairs=" sp "\n  elmo_switchback_block_sec=" sb "\n  elmo_switchback_settle_sec=" ss "\n  elmo_baseline_window=3\n  elmo_cooldown_intervals=1\n  elmo_journal='"$out"'/journal-now.jsonl"}' \
  "$start" > "$out/on.ini"
if [ -n "$playbook_line" ]; then
  awk -v line="$playbook_line" '{print} /^\[DBOptions\]/ {print line}' "$out/on.ini" > "$out/on.ini.new"
  mv "$out/on.ini.new" "$out/on.ini"
fi

for r in $(seq 1 "$runs"); do
  for c in off on; do
    echo "== run $r: tuner $c" >&2
    rm -rf "$out/db" "$out/journal-now.jsonl"
    "$bin" "$out/db" "$out/$c.ini" "$out/$c-$r" "$phase" "$threads" "$keys" "$qps" "$vbytes" "$scenario"
    [ "$c" = on ] && mv "$out/journal-now.jsonl" "$out/journal-$r.jsonl"
    cat "$out/$c-$r.phases.csv" >&2
  done
done
rm -rf "$out/db"

python3 - "$out" "$runs" "$phase" "$scenario" <<'EOF'
import csv, sys, json, statistics as st
out, runs, phase, scenario = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
def rows(p): return list(csv.DictReader(open(p)))
res = {c: [rows(f"{out}/{c}-{r}.phases.csv") for r in range(1, runs + 1)] for c in ("off", "on")}
ser = {c: [rows(f"{out}/{c}-{r}.series.csv") for r in range(1, runs + 1)] for c in ("off", "on")}
names = ({1: "90/10, uniform keys", 2: "90/10, zipfian 0.99", 3: "90/10, another hot set"} if scenario == "hotset"
         else {1: "100% writes, capped", 2: "50/50 reads/writes", 3: "85/15 reads/writes"})
lines = ["| phase | off ops/s | on ops/s | on/off | off p99 us | on p99 us | on/off p99 |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for i in range(3):
    m = {c: st.mean(float(x[i]["ops_per_sec"]) for x in res[c]) for c in res}
    p = {c: st.mean(float(x[i]["p99_us"]) for x in res[c]) for c in res}
    rng = {c: "/".join(f"{float(x[i]['ops_per_sec']):.0f}" for x in res[c]) for c in res}
    lines.append(f"| {i+1} {names[i+1]} | {m['off']:.0f} ({rng['off']}) | {m['on']:.0f} ({rng['on']}) | "
                 f"{m['on']/m['off']:.3f} | {p['off']:.1f} | {p['on']:.1f} | {p['on']/p['off']:.3f} |")
events = {}
for r in range(1, runs + 1):
    for l in open(f"{out}/journal-{r}.jsonl"):
        e = json.loads(l)["event"]; events[e] = events.get(e, 0) + 1
lines.append("")
lines.append("Tuner decisions over all 'on' runs: " + ", ".join(f"{k} {v}" for k, v in sorted(events.items())))
open(f"{out}/summary.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
# Chart: ops/s per second, mean over runs, off vs on, with the phase boundaries.
n = min(len(s) for c in ser for s in ser[c])
mean = {c: [st.mean(float(s[k]["ops"]) for s in ser[c]) for k in range(n)] for c in ser}
W, H, L, B = 900, 360, 70, 40
top_v = max(max(v) for v in mean.values()) * 1.1 or 1
X = lambda k: L + (W - L - 20) * k / max(n - 1, 1)
Y = lambda v: H - B - (H - B - 20) * v / top_v
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{W/2}" y="14" text-anchor="middle">ops/s per second: tuner off vs on (mean of {runs} runs)</text>']
for p in (1, 2):
    x = X(p * phase)
    svg.append(f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{H-B}" stroke="#999" stroke-dasharray="4"/>')
for i, nm in names.items():
    svg.append(f'<text x="{X((i-0.5)*phase):.1f}" y="32" text-anchor="middle" fill="#555">{nm}</text>')
for c, col in (("off", "#d62728"), ("on", "#1f77b4")):
    pts = " ".join(f"{X(k):.1f},{Y(v):.1f}" for k, v in enumerate(mean[c]))
    svg.append(f'<polyline fill="none" stroke="{col}" stroke-width="1.5" points="{pts}"/>')
svg.append(f'<line x1="{L}" y1="{H-B}" x2="{W-20}" y2="{H-B}" stroke="black"/><line x1="{L}" y1="20" x2="{L}" y2="{H-B}" stroke="black"/>')
for f in (0, 0.5, 1):
    v = top_v * f
    svg.append(f'<text x="{L-5}" y="{Y(v)+4:.1f}" text-anchor="end">{v:.0f}</text>')
svg.append(f'<text x="{W/2}" y="{H-8}" text-anchor="middle">seconds</text>')
svg.append(f'<text x="{W-120}" y="50" fill="#d62728">tuner off</text><text x="{W-120}" y="66" fill="#1f77b4">tuner on</text>')
# Second panel: p99 per phase, off vs on (mean of the runs).
p99 = {c: [st.mean(float(x[i]["p99_us"]) for x in res[c]) for i in range(3)] for c in res}
top_p = max(max(v) for v in p99.values()) * 1.15 or 1
PY0, PH = H + 30, 200
svg.append(f'<text x="{W/2}" y="{PY0 - 8}" text-anchor="middle">p99 latency per phase, us (mean of {runs} runs)</text>')
for i in range(3):
    cx = X((i + 0.5) * phase)
    for j, (c, col) in enumerate((("off", "#d62728"), ("on", "#1f77b4"))):
        h = PH * p99[c][i] / top_p
        x = cx - 42 + j * 44
        svg.append(f'<rect x="{x:.1f}" y="{PY0 + PH - h:.1f}" width="40" height="{h:.1f}" fill="{col}"/>')
        svg.append(f'<text x="{x + 20:.1f}" y="{PY0 + PH - h - 4:.1f}" text-anchor="middle">{p99[c][i]:.0f}</text>')
    svg.append(f'<text x="{cx:.1f}" y="{PY0 + PH + 16:.1f}" text-anchor="middle" fill="#555">{names[i+1]}</text>')
svg.append(f'<line x1="{L}" y1="{PY0 + PH}" x2="{W-20}" y2="{PY0 + PH}" stroke="black"/>')
svg.append('</svg>')
svg[0] = svg[0].replace(f'height="{H}"', f'height="{H + 30 + PH + 30}"')
svg[1] = svg[1].replace(f'height="{H}"', f'height="{H + 30 + PH + 30}"')
open(f"{out}/shift.svg", "w").write("\n".join(svg) + "\n")
EOF
echo "realtime_shift.sh: $out/summary.md, $out/shift.svg, journals $out/journal-*.jsonl" >&2
