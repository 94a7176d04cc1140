"""`veche pb tally|compare`: output, JSON, error messages with line numbers, exit codes, and no Django involved."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from veche.budgeting.pb_cli import main
from veche.budgeting.tests.data import PABULIB_DIR

FILE = """META
key;value
description;Test pool
vote_type;approval
budget;100
rule;greedy
PROJECTS
project_id;cost;name;selected
A;60;Playground;1
B;50;"Benches; many";0
C;30;Trees;1
D;10;Lamp;1
VOTES
voter_id;vote
1;A,B,C
2;A,B,C
3;A,B,C
4;A,B
5;A
6;D
"""


@pytest.fixture
def pb_file(tmp_path: Path) -> Path:
    path = tmp_path / "pool.pb"
    path.write_text(FILE, encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_tally_prints_funded_projects_reasons_and_figures(pb_file: Path) -> None:
    code, out, err = run("tally", str(pb_file))
    assert (code, err) == (0, "")
    assert "rule: greedy" in out
    assert "budget 100, spent 100 (100.0%); 3 of 4 projects funded; 6 voters" in out
    lines = out.splitlines()
    row_b = next(line for line in lines if line.startswith(" ") and " B " in line)
    assert "Benches; many" in row_b and "did not fit the remaining budget" in row_b
    assert "voters with at least one funded project: 100.0%" in out
    assert "official result (greedy, counted as greedy): reproduced" in out


def test_tally_json(pb_file: Path) -> None:
    code, out, _ = run(
        "tally", str(pb_file), "--rule", "mes", "--completion", "add1", "--tie-break", "cost-votes", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["rule"] == "mes/add1" and data["tie_break"] == "cost-votes" and data["utility"] == "cost"
    assert data["budget"] == "100"
    assert set(data["funded"]) <= {"A", "B", "C", "D"}
    assert {p["project_id"]: p["votes"] for p in data["projects"]} == {"A": 5, "B": 4, "C": 3, "D": 1}
    assert data["official"] == {
        "rule": "greedy",
        "implemented": True,
        "rule_spec": "greedy",
        "reproduces": True,
        "missing": [],
        "extra": [],
    }
    assert 0 <= data["metrics"]["gini"] <= 1


def test_tally_greedy_no_skip_and_threshold(pb_file: Path) -> None:
    _, out, _ = run("tally", str(pb_file), "--rule", "greedy-no-skip", "--json")
    assert json.loads(out)["funded"] == ["A"]
    _, out, _ = run("tally", str(pb_file), "--rule", "greedy-threshold", "--threshold", "3", "--json")
    assert json.loads(out)["funded"] == ["A", "C"]


def test_compare_lists_every_rule(pb_file: Path) -> None:
    code, out, _ = run("compare", str(pb_file))
    assert code == 0
    for label in ("greedy ", "greedy-no-skip", "mes ", "mes/add1 ", "mes/add1/fill", "mes/approval", "phragmen"):
        assert label in out
    assert "= official" in out
    code, out, _ = run("compare", str(pb_file), "--json")
    rules = json.loads(out)["rules"]
    assert rules[0]["rule"] == "greedy" and rules[0]["same_as_official"] is True


def test_malformed_file_names_the_line(pb_file: Path) -> None:
    pb_file.write_text(FILE.replace("6;D", "6;Z"), encoding="utf-8")
    code, out, err = run("tally", str(pb_file))
    assert (code, out) == (1, "")
    assert err == f"veche pb: {pb_file}:20: voter '6' votes for unknown project 'Z'\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("tally", "missing.pb"), "cannot read missing.pb"),
        (("tally", "{file}", "--tie-break", "random"), "unknown tie-breaking 'random'"),
        (("tally", "{file}", "--tie-break", "order:Q"), "unknown projects: Q"),
        (("tally", "{file}", "--rule", "greedy-threshold"), "needs --threshold"),
    ],
)
def test_errors_exit_with_1(pb_file: Path, argv: tuple[str, ...], message: str) -> None:
    code, _, err = run(*(a.replace("{file}", str(pb_file)) for a in argv))
    assert code == 1
    assert message in err


def test_unknown_official_rule_asks_for_one(pb_file: Path) -> None:
    pb_file.write_text(FILE.replace("rule;greedy", "rule;unknown"), encoding="utf-8")
    code, _, err = run("tally", str(pb_file))
    assert code == 1 and "choose one with --rule" in err
    assert run("tally", str(pb_file), "--rule", "phragmen")[0] == 0


def test_usage_errors_exit_with_2(pb_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("tally", str(pb_file), "--rule", "borda")[0] == 2
    assert run()[0] == 2
    assert "invalid choice" in capsys.readouterr().err


def test_veche_pb_runs_without_django(pb_file: Path) -> None:
    script = (
        "import sys\n"
        f"sys.argv = ['veche', 'pb', 'tally', {str(pb_file)!r}, '--json']\n"
        "import veche.cli\n"
        "try:\n"
        "    veche.cli.main()\n"
        "except SystemExit as exit:\n"
        "    sys.stderr.write(f'exit={exit.code} django={\"django\" in sys.modules}')\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, env={"PATH": ""}, timeout=120, check=False
    )
    assert done.stderr.endswith("exit=0 django=False"), done.stderr
    assert json.loads(done.stdout)["funded"] == ["A", "C", "D"]


@pytest.mark.skipif(not PABULIB_DIR.is_dir(), reason="shared Pabulib files absent")
def test_tally_of_a_real_file_with_its_official_rule() -> None:
    code, out, _ = run("tally", str(PABULIB_DIR / "Poland_Swiecie_2023.pb"))
    assert code == 0
    assert "official result (equalshares/add1, counted as mes/cost/add1): reproduced" in out
