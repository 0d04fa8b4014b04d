#!/usr/bin/env python3
"""row.py PRESET N DIR DEFAULTS GUIDE ELMO RANDOM TPE — one row of peers.md from DIR/compare.txt
(elmotune --elmo_compare's table) and the three tuners' trials.csv. DEFAULTS .. TPE name each one's
configuration as the compare table does (peers.sh measures a best file identical to the guide's
once, as the guide, so two of them may name the same row): ops/s, each best over the better of
defaults and the guide, and
the trial at which each tuner's best so far reached 90% of its final gain over its own first
trial (elmotune's: the defaults; the peers': the guide's file); "-" when it never gained."""
import csv
import sys


def compare_rows(path, names):
    """The ops/s of each of names in the compare table at path."""
    rows = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3 and fields[1].isdigit() and fields[0] != "configuration":
                rows[fields[0]] = float(fields[2])
    missing = [n for n in names if n not in rows]
    if missing:
        sys.exit(f"row.py: {path}: no row for {', '.join(missing)}")
    return [rows[n] for n in names]


def curve(path):
    with open(path) as f:
        return [float(r["best_so_far"]) for r in csv.DictReader(f)]


def ninety(best, start):
    final = best[-1]
    if final <= start:
        return "-"
    for i, b in enumerate(best):
        if b - start >= 0.9 * (final - start):
            return str(i + 1)
    return "-"


def main():
    if len(sys.argv) != 9:
        sys.exit("usage: row.py PRESET N DIR DEFAULTS GUIDE ELMO RANDOM TPE")
    preset, n, d = sys.argv[1:4]
    defaults, guide, elmo, rnd, tpe = compare_rows(f"{d}/compare.txt", sys.argv[4:9])
    better = max(defaults, guide)
    curves = [curve(f"{d}/{t}/trials.csv") for t in ("elmo", "random", "tpe")]
    at = ", ".join(ninety(c, c[0]) for c in curves)
    print(f"| {preset} | {n} | {defaults:.0f} | {guide:.0f} | {elmo:.0f} | {rnd:.0f} | {tpe:.0f} | "
          f"{elmo / better:.3f} | {rnd / better:.3f} | {tpe / better:.3f} | {at} |")


if __name__ == "__main__":
    main()
