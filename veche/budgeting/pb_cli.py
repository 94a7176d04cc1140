"""`veche pb`: count any Pabulib file from the command line, without a database or Django settings.

    veche pb tally FILE.pb [--rule …] [--utility …] [--completion …] [--fill-greedy] [--comparison …]
                           [--tie-break …] [--threshold N] [--json]
    veche pb compare FILE.pb [--json]

Exit status: 0 on success, 1 when the file cannot be read or is malformed (the message names the line), 2 on a
command-line mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import TextIO

from veche.budgeting import pabulib
from veche.budgeting.rules_engine import (
    COMPARISONS,
    COMPLETIONS,
    RULES,
    CompletionError,
    Election,
    RuleSpec,
    TallyResult,
    TieBreak,
    compare,
    standard_specs,
    tally,
)
from veche.budgeting.rules_engine.election import ORDINAL_POINTS, UTILITIES
from veche.budgeting.rules_engine.official import OfficialCheck, check_official, official_spec
from veche.budgeting.rules_engine.tally import ADD1_STARTS


class _FailureError(Exception):
    """A problem to report on stderr with exit status 1."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="veche pb", description="Count participatory-budgeting elections (Pabulib).")
    commands = parser.add_subparsers(dest="command", required=True)
    count = commands.add_parser("tally", help="count one file with one rule")
    count.add_argument("file", type=Path)
    count.add_argument(
        "--rule",
        choices=("official", *RULES),
        default="official",
        help="counting rule; 'official' (default) uses the rule the file's META names",
    )
    count.add_argument("--utility", choices=UTILITIES, help="voters' utility (default: cost for approval, else points)")
    count.add_argument("--completion", choices=COMPLETIONS, default=None, help="MES completion (default none)")
    count.add_argument("--add1-start", choices=ADD1_STARTS, default=None, help="add1: exact share or whole units")
    count.add_argument("--fill-greedy", action="store_true", help="MES: give the money left to best-scored projects")
    count.add_argument("--comparison", choices=COMPARISONS, default=None, help="MES: equalshares.net comparison step")
    count.add_argument("--threshold", type=Fraction, help="greedy-threshold: minimum score (default from META)")
    count.add_argument("--ordinal-points", choices=ORDINAL_POINTS, default="positional")
    _common(count)
    versus = commands.add_parser("compare", help="count one file with every rule and compare the figures")
    versus.add_argument("file", type=Path)
    versus.add_argument("--utility", choices=UTILITIES, help="utility for the figures (default as in tally)")
    _common(versus)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tie-break",
        default="id",
        help="id (pabutools' default), cost-votes (equalshares.net), votes-cost, or order:ID,ID,…",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code or 0)
    try:
        tie_break = TieBreak.parse(args.tie_break)
        instance = _read(args.file)
        election = Election.from_pabulib(instance)
        tie_break.rank(election)  # validates an explicit order against the file's projects
        if args.command == "tally":
            spec = _spec(args, instance, tie_break)
            result = tally(election, spec)
            check = check_official(election, instance.meta, instance.selected())
            _print_tally(out, args, instance, result, check)
        else:
            threshold = _meta_threshold(instance)
            results = compare(election, standard_specs(election, threshold, tie_break), args.utility)
            _print_compare(out, args, instance, results)
    except (_FailureError, ValueError, CompletionError) as exc:
        err.write(f"veche pb: {exc}\n")
        return 1
    return 0


def _read(path: Path) -> pabulib.Instance:
    try:
        return pabulib.parse_file(path)
    except pabulib.PabulibError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise _FailureError(f"{where}: {exc.problem}") from None
    except OSError as exc:
        raise _FailureError(f"cannot read {path}: {exc.strerror or exc}") from None


def _meta_threshold(instance: pabulib.Instance) -> Fraction | None:
    raw = instance.meta.get("min_project_score_threshold", "").strip()
    try:
        return pabulib.parse_number(raw) if raw else None
    except ValueError:
        return None


def _spec(args: argparse.Namespace, instance: pabulib.Instance, tie_break: TieBreak) -> RuleSpec:
    base = None
    if args.rule == "official":
        base = official_spec(instance.meta)
        if base is None:
            rule = instance.rule or "(none)"
            raise _FailureError(f"the file's rule {rule!r} is not one veche implements; choose one with --rule")
        rule = base.rule
    else:
        rule = args.rule
    threshold = args.threshold
    if rule == "greedy-threshold" and threshold is None:
        threshold = base.threshold if base else _meta_threshold(instance)
        if threshold is None:
            raise _FailureError(
                "greedy-threshold needs --threshold (the file's META has no min_project_score_threshold)"
            )
    is_mes = rule == "mes"

    def pick(value: str | None, field: str, default: str) -> str:
        if value is not None:
            return value
        return str(getattr(base, field)) if base is not None else default

    utility = args.utility if args.utility is not None else (base.utility if base is not None else None)
    return RuleSpec(
        rule=rule,
        utility=utility,
        completion=pick(args.completion, "completion", "none") if is_mes else "none",
        fill_greedy=(args.fill_greedy or bool(base and base.fill_greedy)) if is_mes else False,
        comparison=pick(args.comparison, "comparison", "none") if is_mes else "none",
        threshold=threshold if rule == "greedy-threshold" else None,
        tie_break=tie_break,
        ordinal_points=args.ordinal_points,
        add1_start=pick(args.add1_start, "add1_start", "exact"),
    )


# --- output -----------------------------------------------------------------------------------------------------


def _money(value: Fraction) -> str:
    try:
        return pabulib.format_number(value)
    except ValueError:
        return f"{float(value):.2f}"


def _share(value: Fraction | None) -> str | None:
    return None if value is None else f"{float(value):.4f}"


def _result_json(instance: pabulib.Instance, result: TallyResult) -> dict[str, object]:
    return {
        "rule": result.spec.label(),
        "tie_break": str(result.spec.tie_break),
        "utility": result.utility,
        "budget": _money(result.budget),
        "spent": _money(result.spent),
        "funded": list(result.funded),
        "share_per_voter": _share(result.share_per_voter),
        "completion_steps": result.completion_steps,
        "metrics": {
            "voters": result.metrics.voters,
            "share_with_funded": result.metrics.share_with_funded,
            "average_satisfaction": result.metrics.average_satisfaction,
            "gini": result.metrics.gini,
        },
        "notes": list(result.notes),
        "projects": [
            {
                "project_id": p.project_id,
                "name": instance.projects[p.project_id].name,
                "cost": _money(p.cost),
                "score": _money(p.score),
                "votes": p.votes,
                "funded": p.funded,
                "position": p.position,
                "reason": p.reason.value,
                "reason_text": p.reason.text,
            }
            for p in result.projects
        ],
    }


def _table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_tally(
    out: TextIO, args: argparse.Namespace, instance: pabulib.Instance, result: TallyResult, check: OfficialCheck
) -> None:
    if args.json:
        data = {"file": str(args.file), **_result_json(instance, result), "official": check.as_dict()}
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    m = result.metrics
    spent_share = float(result.spent / result.budget) if result.budget else 0.0
    out.write(f"{args.file.name}: {instance.meta.get('description', '')}\n")
    out.write(f"rule: {result.spec.label()}  tie-breaking: {result.spec.tie_break}  utility: {result.utility}\n")
    out.write(f"budget {_money(result.budget)}, spent {_money(result.spent)} ({spent_share:.1%}); ")
    out.write(f"{len(result.funded)} of {len(result.projects)} projects funded; {m.voters} voters\n")
    if result.share_per_voter is not None:
        out.write(
            f"share per voter: {float(result.share_per_voter):.2f} ({result.completion_steps} completion steps)\n"
        )
    for note in result.notes:
        out.write(f"{note}\n")
    ordered = sorted(result.projects, key=lambda p: (p.position is None, p.position or 0, -p.score, p.project_id))
    rows = [["#", "project", "name", "cost", "score", "votes", "funded", "why"]]
    rows += [
        [
            str(p.position or ""),
            p.project_id,
            _short(instance.projects[p.project_id].name),
            _money(p.cost),
            _money(p.score),
            str(p.votes),
            "yes" if p.funded else "no",
            p.reason.text,
        ]
        for p in ordered
    ]
    out.write(_table(rows, right={0, 3, 4, 5}))
    out.write(f"voters with at least one funded project: {m.share_with_funded:.1%}\n")
    out.write(f"average satisfaction ({result.utility}): {m.average_satisfaction:.2f}; Gini: {m.gini:.3f}\n")
    out.write(_official_line(check) + "\n")


def _official_line(check: OfficialCheck) -> str:
    if check.spec is None:
        return f"official result: the file's rule {check.rule or '(none)'!r} is not implemented"
    if check.official is None:
        return f"official result: the file does not mark funded projects (its rule: {check.rule})"
    if check.reproduces:
        return f"official result ({check.rule}, counted as {check.spec.label()}): reproduced"
    return (
        f"official result ({check.rule}, counted as {check.spec.label()}): differs; "
        f"funded officially only: {', '.join(sorted(check.missing)) or '-'}; "
        f"funded by this count only: {', '.join(sorted(check.extra)) or '-'}"
    )


def _print_compare(
    out: TextIO, args: argparse.Namespace, instance: pabulib.Instance, results: list[TallyResult]
) -> None:
    official = instance.selected()
    if args.json:
        data = {
            "file": str(args.file),
            "official_rule": instance.rule,
            "official_funded": sorted(official) if official is not None else None,
            "rules": [
                {
                    **{k: v for k, v in _result_json(instance, r).items() if k != "projects"},
                    "same_as_official": (r.funded_set == official) if official is not None else None,
                }
                for r in results
            ],
        }
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    utility = results[0].metrics.utility if results else ""
    out.write(f"{args.file.name}: {instance.meta.get('description', '')}; official rule: {instance.rule or '-'}\n")
    header = ["rule", "funded", "spent", "% budget", "≥1 funded", f"avg sat ({utility})", "Gini"]
    if official is not None:
        header.append("= official")
    rows = [header]
    for r in results:
        share = float(r.spent / r.budget) if r.budget else 0.0
        row = [
            r.spec.label(),
            str(len(r.funded)),
            _money(r.spent),
            f"{share:.1%}",
            f"{r.metrics.share_with_funded:.1%}",
            f"{r.metrics.average_satisfaction:.2f}",
            f"{r.metrics.gini:.3f}",
        ]
        if official is not None:
            row.append("yes" if r.funded_set == official else "no")
        rows.append(row)
    out.write(_table(rows, right={1, 2, 3, 4, 5, 6}))


if __name__ == "__main__":
    sys.exit(main())
