#!/usr/bin/env python3
"""search.py — a peer tuner for the peer benchmark (tools/bench/peers.sh): seeded random search or
Optuna's TPE over the built-in advisor's option subspace (subspace.tsv), N trials, each measured
once by elmotune's own trial runner (db_bench --benchmarks=elmotune --elmo_compare=FILE
--elmo_compare_runs=1 on the workload's preloaded DB), under the same limits as elmotune's trials.
The first trial is the tuning guide's file. Writes OUT/trials.csv (trial, score, best so far) and
OUT/best.ini (the best trial's file)."""
import argparse
import csv
import math
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_subspace(path):
    dims = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, section, kind, low, high, choices = line.rstrip("\n").split("\t")
            dim = {"name": name, "section": section, "kind": kind}
            if kind in ("int", "logint"):
                dim["low"], dim["high"] = int(low), int(high)
                if not 0 < dim["low"] <= dim["high"]:
                    sys.exit(f"search.py: {path}: {name}: bad bounds {low}..{high}")
            elif kind == "enum":
                dim["choices"] = choices.split(",")
            else:
                sys.exit(f"search.py: {path}: {name}: unknown kind {kind}")
            dims.append(dim)
    return dims


def sample_random(rng, dim):
    if dim["kind"] == "int":
        return str(rng.randint(dim["low"], dim["high"]))
    if dim["kind"] == "logint":
        return str(int(round(math.exp(rng.uniform(math.log(dim["low"]), math.log(dim["high"]))))))
    return rng.choice(dim["choices"])


def sample_optuna(trial, dim):
    if dim["kind"] == "int":
        return str(trial.suggest_int(dim["name"], dim["low"], dim["high"]))
    if dim["kind"] == "logint":
        return str(trial.suggest_int(dim["name"], dim["low"], dim["high"], log=True))
    return trial.suggest_categorical(dim["name"], dim["choices"])


SECTION_HEADERS = {
    "DBOptions": "[DBOptions]",
    "CFOptions": '[CFOptions "default"]',
    "TableOptions/BlockBasedTable": '[TableOptions/BlockBasedTable "default"]',
}


def write_ini(path, dims, values):
    with open(path, "w") as f:
        f.write("[Version]\n  rocksdb_version=7.8.3\n  options_file_version=1.1\n")
        for section, header in SECTION_HEADERS.items():
            f.write(f"\n{header}\n")
            for d in dims:
                if d["section"] == section:
                    f.write(f"  {d['name']}={values[d['name']]}\n")


def ini_values(path, dims):
    """The subspace's values in an OPTIONS file (the guide's), for Optuna's first trial."""
    names = {d["name"]: d for d in dims}
    values = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*([a-z_0-9]+)=(.*)$", line)
            if m and m.group(1) in names:
                values[m.group(1)] = m.group(2).strip()
    return values


def guide_params(values, dims):
    """The guide's values that lie in the subspace, as Optuna parameters (the rest TPE samples)."""
    params = {}
    for d in dims:
        v = values.get(d["name"])
        if v is None:
            continue
        if d["kind"] == "enum" and v in d["choices"]:
            params[d["name"]] = v
        elif d["kind"] != "enum" and v.lstrip("-").isdigit() and d["low"] <= int(v) <= d["high"]:
            params[d["name"]] = int(v)
    return params


def measure(args, ini, work):
    """One run of ini by elmotune's trial runner: its ops/s, or 0 when the trial failed."""
    cmd = [args.db_bench, "--benchmarks=elmotune",
           f"--elmo_compare={ini}", "--elmo_compare_runs=1", f"--elmo_output_dir={work}"] + args.flags
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(f"search.py: {' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    for line in out.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == ini and len(fields) >= 3:
            return float(fields[2]) if int(fields[1]) > 0 else 0.0
    sys.exit(f"search.py: no result row for {ini} in:\n{out.stdout}")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--method", choices=["random", "tpe"], required=True)
    p.add_argument("--trials", type=int, required=True)
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--db-bench", required=True)
    p.add_argument("--guide", required=True, help="the tuning guide's OPTIONS file: the first trial")
    p.add_argument("--out", required=True)
    p.add_argument("--subspace", default=os.path.join(HERE, "subspace.tsv"))
    p.add_argument("flags", nargs="+", help="elmotune flags every trial shares: the workload (--elmo_workload="
                   "PRESET or SPEC.json, --elmo_num), limits, lengths, and --elmo_base_db=DIR (the preloaded "
                   "DB, an elmotune run's db/base/db)")
    args = p.parse_args()
    if args.trials < 1:
        sys.exit("search.py: --trials must be at least 1")
    dims = load_subspace(args.subspace)
    os.makedirs(args.out, exist_ok=True)
    study = None
    if args.method == "tpe":
        try:
            import optuna
        except ImportError:
            sys.exit("search.py: Optuna is not installed: apt-get install python3-optuna "
                     "(or ./build.sh bench-deps)")
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed))
        study.enqueue_trial(guide_params(ini_values(args.guide, dims), dims))
    rng = random.Random(args.seed)
    best, best_ini, rows = -1.0, None, []
    for i in range(args.trials):
        ini = os.path.join(args.out, f"trial-{i:03d}.ini")
        if args.method == "random" and i == 0:
            with open(args.guide) as src, open(ini, "w") as dst:
                dst.write(src.read())
            trial = None
        elif args.method == "random":
            write_ini(ini, dims, {d["name"]: sample_random(rng, d) for d in dims})
            trial = None
        else:
            trial = study.ask()
            values = {d["name"]: sample_optuna(trial, d) for d in dims}
            if i == 0:  # the guide's file itself, as the random search's first trial
                with open(args.guide) as src, open(ini, "w") as dst:
                    dst.write(src.read())
            else:
                write_ini(ini, dims, values)
        score = measure(args, ini, os.path.join(args.out, f"run-{i:03d}"))
        if study is not None:
            study.tell(trial, score)
        if score > best:
            best, best_ini = score, ini
        rows.append((i + 1, score, best))
        print(f"{args.method} trial {i + 1}/{args.trials}: {score:.0f} ops/s (best {best:.0f})", file=sys.stderr)
    with open(os.path.join(args.out, "trials.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["trial", "ops_per_sec", "best_so_far"])
        w.writerows(rows)
    with open(best_ini) as src, open(os.path.join(args.out, "best.ini"), "w") as dst:
        dst.write(src.read())


if __name__ == "__main__":
    main()
