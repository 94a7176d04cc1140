"""Tally speed: veche's rules engine against pabutools on the same instances, in one run.

    .venv/bin/python benchmarks/pb_tally.py [--pabutools-timeout 60] [--quick]

Instances: the largest shared Pabulib files (../shared/data/pabulib) and a generated Warsaw-sized approval election
(100,000 voters, 100 projects, about 5 approvals each, log-normal costs, budget a quarter of the total cost). Every
(instance, rule) is timed in a fresh subprocess for each implementation, so peak memory (ru_maxrss of that process)
is honest and a slow pabutools run can be stopped at the timeout ("> N s"); pabutools also gets a 6 GB memory cap,
since its add-one completion caches every intermediate fraction. For MES with add-one completion, pabutools'
time is also extrapolated from one timed MES run × the number of steps (pabutools runs MES once per step; veche
skips steps it can prove change nothing; column "pabutools est.").

Columns: parse = our parse of the file (s); ours = our tally (s, without parsing); tally/parse = ours ÷ parse;
pabutools = its tally (s, without parsing); ratio = pabutools ÷ ours; same = identical funded projects;
peak MB = maximum resident memory of our process (parse + tally).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "pabulib"
FILES = ["Poland_Gdansk_2020.pb", "Poland_Warszawa_2021_Mokotow.pb", "Poland_Wieliczka_2023_Green_Budget.pb"]
RULES = ["greedy", "mes", "mes-add1", "phragmen"]


def generate_warsaw_sized(path: Path, voters: int = 100_000, projects: int = 100, seed: int = 2021) -> None:
    """A Warsaw-sized approval election written as a .pb file."""
    import numpy as np

    rng = np.random.default_rng(seed)
    costs = np.clip(np.round(rng.lognormal(np.log(250_000), 0.9, projects), -2), 10_000, 3_000_000).astype(np.int64)
    budget = int(costs.sum() // 4)
    popularity = 1.0 / (np.arange(projects) + 8.0) * rng.lognormal(0, 0.4, projects)
    lengths = np.clip(1 + rng.poisson(4, voters), 1, 15)
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(voters, projects))  # Gumbel top-k = weighted sampling
    order = np.argsort(-keys, axis=1)
    lines = ["META", "key;value", "description;Generated Warsaw-sized election", "country;Nowhere", "unit;Bench"]
    lines += ["instance;2021", f"num_projects;{projects}", f"num_votes;{voters}", f"budget;{budget}"]
    lines += ["vote_type;approval", "rule;greedy", "PROJECTS", "project_id;cost;name"]
    lines += [f"{j + 1};{costs[j]};Project {j + 1}" for j in range(projects)]
    lines += ["VOTES", "voter_id;vote"]
    lines += [f"{v + 1};{','.join(str(p + 1) for p in order[v, : lengths[v]])}" for v in range(voters)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- workers (run in subprocesses) ---------------------------------------------------------------------------------


def worker_ours(path: str, rule: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from veche.budgeting import pabulib
    from veche.budgeting.rules_engine import Election, RuleSpec, tally

    start = time.perf_counter()
    election = Election.from_pabulib(pabulib.parse_file(path))
    parsed = time.perf_counter()
    spec = {
        "greedy": RuleSpec("greedy"),
        "mes": RuleSpec("mes"),
        "mes-add1": RuleSpec("mes", completion="add1"),
        "phragmen": RuleSpec("phragmen"),
    }[rule]
    result = tally(election, spec)
    done = time.perf_counter()
    return {
        "parse": parsed - start,
        "tally": done - parsed,
        "funded": sorted(result.funded),
        "steps": result.completion_steps,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker_pabutools(path: str, rule: str) -> dict:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen

    start = time.perf_counter()
    instance, profile = parse_pabulib(path)
    parsed = time.perf_counter()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif rule == "phragmen":
        outcome = sequential_phragmen(instance, profile)
    else:
        increment = 1 if rule == "mes-add1" else None
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=increment)
    done = time.perf_counter()
    return {"parse": parsed - start, "tally": done - parsed, "funded": sorted(p.name for p in outcome)}


def run_worker(kind: str, path: Path, rule: str, timeout: float) -> dict | None:
    """Run one worker in a fresh interpreter; None when it hit the timeout or the memory cap."""

    def limit_memory() -> None:
        if kind == "pabutools":
            resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))

    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", kind, str(path), rule],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            preexec_fn=limit_memory,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        sys.stderr.write(f"{kind} {path.name} {rule} failed: {done.stderr[-500:]}\n")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the table -------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pabutools-timeout", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="only the generated instance and Mokotów")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "FILE", "RULE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, path, rule = args.worker
        data = worker_ours(path, rule) if kind == "ours" else worker_pabutools(path, rule)
        print(json.dumps(data))
        return
    files = [DATA / name for name in FILES if (DATA / name).exists()]
    if args.quick:
        files = [f for f in files if "Mokotow" in f.name]
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "Generated_Warsaw_sized_100k.pb"
        generate_warsaw_sized(generated)
        files.append(generated)
        header = ["instance", "voters", "rule", "parse", "ours", "tally/parse", "pabutools", "pabutools est.", "ratio"]
        header += ["same", "peak MB"]
        print(" | ".join(header))
        print(" | ".join("---" for _ in header))
        for path in files:
            for rule in RULES:
                print(" | ".join(row(path, rule, args.pabutools_timeout)), flush=True)


def row(path: Path, rule: str, timeout: float) -> list[str]:
    ours = run_worker("ours", path, rule, timeout=900)
    if ours is None:
        return [path.stem[:34], f"{_voters(path):,}", rule, "failed"]
    theirs = run_worker("pabutools", path, rule, timeout=timeout)
    estimate = None
    if rule == "mes-add1" and theirs is None:
        single = run_worker("pabutools", path, "mes", timeout=timeout)
        if single is not None:
            estimate = single["tally"] * (ours["steps"] + 1)
    if theirs is not None:
        theirs_text = f"{theirs['tally']:.3f}"
        ratio = f"{theirs['tally'] / ours['tally']:.0f}×"
        same = "yes" if theirs["funded"] == ours["funded"] else "NO"
    else:
        theirs_text = f"> {timeout:.0f}"
        ratio = f"> {timeout / ours['tally']:.0f}×"
        if estimate is not None:
            ratio += f" (≈{estimate / ours['tally']:.0f}×)"
        same = "?"
    return [
        path.stem[:34],
        f"{_voters(path):,}",
        rule + (f" ({ours['steps'] + 1} steps)" if rule == "mes-add1" else ""),
        f"{ours['parse']:.3f}",
        f"{ours['tally']:.3f}",
        f"{ours['tally'] / ours['parse']:.2f}",
        theirs_text,
        f"≈{estimate:.0f}" if estimate is not None else "",
        ratio,
        same,
        f"{ours['maxrss_mb']:.0f}",
    ]


def _voters(path: Path) -> int:
    with open(path, encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    try:
        return len(lines) - lines.index("VOTES") - 2
    except ValueError:
        return 0


if __name__ == "__main__":
    main()
