#!/usr/bin/env python3
"""curve.py HISTORY_JSON OUT_CSV — elmotune's trials in order, the confirmation, replay and
migration left out, as trial, ops/s and best so far (the running maximum of single measurements,
as the peers' curves are); prints their number N, the peers' trial budget (peers.sh)."""
import csv
import json
import sys

LEFT_OUT = ("confirm-", "replay-", "migrate-")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: curve.py HISTORY_JSON OUT_CSV")
    with open(sys.argv[1]) as f:
        records = json.load(f)["records"]
    rows, best = [], 0.0
    for r in records:
        if r["kind"].startswith(LEFT_OUT):
            continue
        ops = r["metrics"]["ops_per_sec"] if r["status"] == "ok" else 0.0
        best = max(best, ops)
        rows.append((len(rows) + 1, ops, best))
    if not rows:
        sys.exit(f"curve.py: {sys.argv[1]}: no trials")
    with open(sys.argv[2], "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["trial", "ops_per_sec", "best_so_far"])
        w.writerows(rows)
    print(len(rows))


if __name__ == "__main__":
    main()
