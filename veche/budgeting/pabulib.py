"""Read and write Pabulib `.pb` files (the open data format of participatory budgeting, arXiv:2305.11035).

A file has three sections, each a section name on its own line, a header row and semicolon-separated rows (CSV quoting):
META (``key;value``), PROJECTS (``project_id;cost;…``) and VOTES (``voter_id;vote;…``, plus ``points`` for cumulative
and scoring ballots). ``vote`` lists project ids separated by commas; for ordinal ballots the order is the preference
order, most preferred first.

Parsing is strict: anything the counting could misread is rejected with a :class:`PabulibError` carrying the 1-based
line number, and nothing is returned half-built. Costs, the budget and points are kept as exact fractions; every other
cell is kept as the text found in the file, so that parse → write → parse returns the same instance.
No Django import: the CLI and the benchmarks use this module without settings.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

SECTIONS = ("meta", "projects", "votes")
APPROVAL_TYPES = frozenset({"approval", "choose-1"})
POINTS_TYPES = frozenset({"cumulative", "scoring"})
VOTE_TYPES = APPROVAL_TYPES | POINTS_TYPES | {"ordinal"}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SECTION_LIKE = re.compile(r"^[A-Z][A-Z_]*$")


class PabulibError(ValueError):
    """A malformed Pabulib file: `line` is 1-based (0 when the problem is not tied to a line).

    `problem` is English text (for the command line). The most common problems also carry a `code` and the `params`
    of the message (plain text values), so that a translated message can be shown instead: see ERROR_CODES.
    """

    def __init__(
        self, line: int, problem: str, *, code: str | None = None, params: dict[str, str] | None = None
    ) -> None:
        self.line = line
        self.problem = problem
        self.code = code
        self.params = dict(params or {})
        super().__init__(f"line {line}: {problem}" if line else problem)


#: The codes PabulibError may carry, with the names of their params.
ERROR_CODES: dict[str, tuple[str, ...]] = {
    "missing_section": ("section",),
    "missing_header": ("section",),
    "missing_column": ("section", "column"),
    "empty_file": (),
    "meta_first": (),
    "missing_budget": (),
    "bad_budget": ("value",),
    "bad_vote_type": ("value", "allowed"),
    "bad_cost": ("value", "project"),
    "bad_points": ("value", "voter"),
    "cell_count": ("section", "cells", "columns"),
    "duplicate_project": ("project",),
    "duplicate_voter": ("voter",),
    "unknown_project": ("voter", "project"),
}


@dataclass(frozen=True)
class Project:
    """One row of PROJECTS: the id, the exact cost and the other cells by column name (as text)."""

    project_id: str
    cost: Fraction
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.fields.get("name", "")


@dataclass(frozen=True)
class Vote:
    """One row of VOTES.

    `projects` keeps the order of the file (the preference order for ordinal ballots); `points` is parallel to it for
    cumulative and scoring ballots and None otherwise; `fields` holds the other cells (age, sex, …) as text.
    """

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Fraction, ...] | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Instance:
    """A whole `.pb` file. Mappings keep the order of the file."""

    meta: dict[str, str]
    projects: dict[str, Project]
    votes: dict[str, Vote]
    project_columns: tuple[str, ...] = ("project_id", "cost")
    vote_columns: tuple[str, ...] = ("voter_id", "vote")

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").strip().lower()

    @property
    def budget(self) -> Fraction:
        return parse_number(self.meta.get("budget", ""))

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "").strip()

    def selected(self) -> frozenset[str] | None:
        """The officially funded projects (column `selected` = 1), or None when the file does not say."""
        if "selected" not in self.project_columns:
            return None
        return frozenset(p.project_id for p in self.projects.values() if p.fields.get("selected", "").strip() == "1")


def parse_number(text: str) -> Fraction:
    """An exact number from a Pabulib cell: integer or decimal, with a dot or a decimal comma."""
    text = text.strip()
    if not _NUMBER.match(text):
        raise ValueError(f"{text!r} is not a number")
    return Fraction(text.replace(",", "."))


def format_number(value: Fraction | int) -> str:
    """The shortest exact decimal text for `value`; refuses numbers with no finite decimal expansion."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den, twos, fives = value.denominator, 0, 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        raise ValueError(f"{value} has no finite decimal expansion")
    places = max(twos, fives)
    scaled = abs(value.numerator) * (10**places // value.denominator)
    digits = str(scaled).rjust(places + 1, "0")
    text = f"{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")
    return f"-{text}" if value < 0 else text


def _cells(row: list[str]) -> list[str]:
    """Cells stripped of surrounding blanks, with empty trailing cells (a trailing `;`) dropped."""
    cells = [c.strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


class _Reader:
    """Wraps csv.reader to know the line where each record starts (quoted cells may span lines)."""

    def __init__(self, text: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
        self._last_line = 0

    def __iter__(self) -> _Reader:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        start = self._last_line + 1
        try:
            row = next(self._reader)
        except csv.Error as exc:
            raise PabulibError(start, f"malformed CSV from this line on (an unclosed quote?): {exc}") from exc
        self._last_line = self._reader.line_num
        return start, row


def _header(reader: _Reader, section: str, line: int) -> tuple[int, list[str]]:
    for header_line, row in reader:
        cells = _cells(row)
        if cells:
            return header_line, cells
    raise PabulibError(
        line, f"section {section.upper()} has no header row", code="missing_header", params={"section": section.upper()}
    )


def _require_columns(header: list[str], needed: Iterable[str], section: str, line: int) -> None:
    seen: set[str] = set()
    for name in header:
        if not name:
            raise PabulibError(line, f"{section.upper()} header has an empty column name")
        if name in seen:
            raise PabulibError(line, f"{section.upper()} header repeats the column {name!r}")
        seen.add(name)
    for name in needed:
        if name not in seen:
            raise PabulibError(
                line,
                f"{section.upper()} header lacks the column {name!r}",
                code="missing_column",
                params={"section": section.upper(), "column": name},
            )


def parse(text: str) -> Instance:
    """Parse the text of a `.pb` file; raise PabulibError(line, problem) on the first problem."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _Reader(text)
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    votes: dict[str, Vote] = {}
    project_header: list[str] = []
    vote_header: list[str] = []
    vote_rows: _VoteRows | None = None
    seen_sections: list[str] = []
    section = ""
    vote_type = ""
    last_line = 0
    for line, row in reader:
        last_line = line
        cells = _cells(row)
        if not cells:
            continue
        if len(cells) == 1 and cells[0].lower() in SECTIONS:
            name = cells[0].lower()
            if name in seen_sections:
                raise PabulibError(line, f"section {name.upper()} appears twice")
            expected = SECTIONS[len(seen_sections)]
            if name != expected:
                raise PabulibError(line, f"section {name.upper()} where {expected.upper()} was expected")
            seen_sections.append(name)
            section = name
            header_line, header = _header(reader, name, line)
            last_line = header_line
            if name == "meta":
                if [h.lower() for h in header] != ["key", "value"]:
                    raise PabulibError(header_line, "META header must be 'key;value'")
            elif name == "projects":
                vote_type = _check_meta(meta, header_line)
                _require_columns(header, ("project_id", "cost"), name, header_line)
                project_header = header
            else:
                if not projects:
                    raise PabulibError(line, "PROJECTS section lists no project")
                needed = ("voter_id", "vote", "points") if vote_type in POINTS_TYPES else ("voter_id", "vote")
                _require_columns(header, needed, name, header_line)
                vote_header = header
                vote_rows = _VoteRows(header, vote_type, projects)
            continue
        if len(row) == 1 and _SECTION_LIKE.match(cells[0]):
            raise PabulibError(line, f"unknown section {cells[0]!r} (expected META, PROJECTS or VOTES)")
        if not section:
            raise PabulibError(line, "the file must start with the META section", code="meta_first")
        if section == "meta":
            if len(row) < 2:
                raise PabulibError(line, "a META row has two cells: key;value")
            _meta_row(meta, cells, line)
        elif section == "projects":
            project = _project_row(project_header, row, line)
            if project.project_id in projects:
                raise PabulibError(
                    line,
                    f"duplicate project id {project.project_id!r}",
                    code="duplicate_project",
                    params={"project": project.project_id},
                )
            projects[project.project_id] = project
        else:
            if vote_rows is None:  # unreachable: the VOTES header sets it
                raise PabulibError(line, "VOTES row before the VOTES header")
            vote = vote_rows.parse(row, line)
            if vote.voter_id in votes:
                raise PabulibError(
                    line,
                    f"duplicate voter id {vote.voter_id!r}",
                    code="duplicate_voter",
                    params={"voter": vote.voter_id},
                )
            votes[vote.voter_id] = vote
    if not seen_sections:
        raise PabulibError(1, "the file is empty", code="empty_file")
    for name in SECTIONS:
        if name not in seen_sections:
            raise PabulibError(
                last_line + 1,
                f"the file ends without a {name.upper()} section",
                code="missing_section",
                params={"section": name.upper()},
            )
    return Instance(meta, projects, votes, tuple(project_header), tuple(vote_header))


def _meta_row(meta: dict[str, str], cells: list[str], line: int) -> None:
    if len(cells) > 2:
        raise PabulibError(line, "a META row has exactly two cells: key;value")
    key = cells[0]
    if not key:
        raise PabulibError(line, "a META row has an empty key")
    if key in meta:
        raise PabulibError(line, f"META key {key!r} appears twice")
    meta[key] = cells[1] if len(cells) == 2 else ""


def _check_meta(meta: dict[str, str], line: int) -> str:
    if "budget" not in meta:
        raise PabulibError(line, "META lacks 'budget'", code="missing_budget")
    try:
        if parse_number(meta["budget"]) < 0:
            raise ValueError("negative")
    except ValueError:
        raise PabulibError(
            line,
            f"META budget {meta['budget']!r} is not a non-negative number",
            code="bad_budget",
            params={"value": meta["budget"]},
        ) from None
    vote_type = meta.get("vote_type", "").strip().lower()
    if vote_type not in VOTE_TYPES:
        allowed = ", ".join(sorted(VOTE_TYPES))
        raise PabulibError(
            line,
            f"META vote_type {meta.get('vote_type', '')!r} is not one of {allowed}",
            code="bad_vote_type",
            params={"value": meta.get("vote_type", ""), "allowed": allowed},
        )
    return vote_type


def _row_cells(header: list[str], row: list[str], line: int, section: str) -> dict[str, str]:
    cells = [c.strip() for c in row]
    while len(cells) > len(header) and not cells[-1]:
        cells.pop()
    if len(cells) != len(header):
        raise PabulibError(
            line,
            f"{section} row has {len(cells)} cells but the header has {len(header)}",
            code="cell_count",
            params={"section": section, "cells": str(len(cells)), "columns": str(len(header))},
        )
    return dict(zip(header, cells, strict=True))


def _project_row(header: list[str], row: list[str], line: int) -> Project:
    cells = _row_cells(header, row, line, "PROJECTS")
    project_id = cells.pop("project_id")
    if not project_id:
        raise PabulibError(line, "empty project_id")
    if "," in project_id:
        raise PabulibError(line, f"project id {project_id!r} contains a comma")
    raw_cost = cells.pop("cost")
    try:
        cost = parse_number(raw_cost)
    except ValueError:
        raise PabulibError(
            line,
            f"cost {raw_cost!r} of project {project_id!r} is not a number",
            code="bad_cost",
            params={"value": raw_cost, "project": project_id},
        ) from None
    if cost < 0:
        raise PabulibError(line, f"cost of project {project_id!r} is negative")
    return Project(project_id, cost, cells)


def _split_list(text: str) -> list[str]:
    if not text or text.lower() == "none":
        return []
    return [item.strip() for item in text.split(",")]


class _VoteRows:
    """Parses VOTES rows; the hot loop of the parser, so it works on column positions rather than dicts."""

    def __init__(self, header: list[str], vote_type: str, projects: dict[str, Project]) -> None:
        self.width = len(header)
        self.voter_at = header.index("voter_id")
        self.vote_at = header.index("vote")
        self.points_at = header.index("points") if vote_type in POINTS_TYPES else -1
        used = {self.voter_at, self.vote_at, self.points_at}
        self.others = [(i, name) for i, name in enumerate(header) if i not in used]
        self.projects = projects
        self.numbers: dict[str, Fraction] = {}

    def parse(self, row: list[str], line: int) -> Vote:
        if len(row) != self.width:
            row = list(row)
            while len(row) > self.width and not row[-1].strip():
                row.pop()
            if len(row) != self.width:
                raise PabulibError(
                    line,
                    f"VOTES row has {len(row)} cells but the header has {self.width}",
                    code="cell_count",
                    params={"section": "VOTES", "cells": str(len(row)), "columns": str(self.width)},
                )
        voter_id = row[self.voter_at].strip()
        if not voter_id:
            raise PabulibError(line, "empty voter_id")
        chosen = _split_list(row[self.vote_at].strip())
        projects = self.projects
        for project_id in chosen:
            if project_id not in projects:
                raise PabulibError(
                    line,
                    f"voter {voter_id!r} votes for unknown project {project_id!r}",
                    code="unknown_project",
                    params={"voter": voter_id, "project": project_id},
                )
        if len(set(chosen)) != len(chosen):
            twice = next(p for p in chosen if chosen.count(p) > 1)
            raise PabulibError(line, f"voter {voter_id!r} lists project {twice!r} twice")
        points: tuple[Fraction, ...] | None = None
        if self.points_at >= 0:
            raw_points = _split_list(row[self.points_at].strip())
            if len(raw_points) != len(chosen):
                raise PabulibError(line, f"voter {voter_id!r} has {len(chosen)} projects but {len(raw_points)} points")
            points = tuple(self._number(raw, voter_id, line) for raw in raw_points)
        fields = {name: row[i].strip() for i, name in self.others}
        return Vote(voter_id, tuple(chosen), points, fields)

    def _number(self, raw: str, voter_id: str, line: int) -> Fraction:
        value = self.numbers.get(raw)
        if value is None:
            try:
                value = parse_number(raw)
            except ValueError:
                raise PabulibError(
                    line,
                    f"points {raw!r} of voter {voter_id!r} is not a number",
                    code="bad_points",
                    params={"value": raw, "voter": voter_id},
                ) from None
            if value < 0:
                raise PabulibError(line, f"voter {voter_id!r} gives negative points")
            self.numbers[raw] = value
        return value


def parse_file(path: str | Path) -> Instance:
    """Parse a `.pb` file (UTF-8, with or without a byte-order mark)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PabulibError(0, f"not UTF-8 text: {exc}") from exc
    return parse(text)


def _check_id(kind: str, value: str) -> None:
    if not value or value != value.strip():
        raise ValueError(f"{kind} {value!r} is empty or has surrounding blanks")
    if kind == "project id" and "," in value:
        raise ValueError(f"project id {value!r} contains a comma")
    if value.lower() in SECTIONS:
        raise ValueError(f"{kind} {value!r} would read as a section name")


def write(instance: Instance, *, anonymise_voters: bool = False) -> str:
    """The `.pb` text of `instance`.

    With `anonymise_voters`, voter ids become 1…n and the ballots are sorted by their content, so that neither the ids
    nor the order of the rows (often the order of casting) leaks who voted how; the other voter columns are kept (drop
    them from `Vote.fields` first if they could identify someone).
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in instance.meta.items():
        _check_id("META key", key)
        if value != value.strip():
            raise ValueError(f"META value {value!r} has surrounding blanks")
        writer.writerow([key, value])
    project_columns = list(instance.project_columns)
    out.write("PROJECTS\n")
    writer.writerow(project_columns)
    for project in instance.projects.values():
        _check_id("project id", project.project_id)
        row = []
        for column in project_columns:
            if column == "project_id":
                row.append(project.project_id)
            elif column == "cost":
                row.append(format_number(project.cost))
            else:
                row.append(project.fields.get(column, ""))
        writer.writerow(row)
    vote_columns = list(instance.vote_columns)
    votes = list(instance.votes.values())
    if anonymise_voters:
        votes.sort(key=lambda v: (v.projects, v.points or (), sorted(v.fields.items())))
        votes = [replace(v, voter_id=str(i)) for i, v in enumerate(votes, start=1)]
    out.write("VOTES\n")
    writer.writerow(vote_columns)
    for vote in votes:
        _check_id("voter id", vote.voter_id)
        row = []
        for column in vote_columns:
            if column == "voter_id":
                row.append(vote.voter_id)
            elif column == "vote":
                row.append(",".join(vote.projects))
            elif column == "points" and vote.points is not None:
                row.append(",".join(format_number(p) for p in vote.points))
            else:
                row.append(vote.fields.get(column, ""))
        writer.writerow(row)
    return out.getvalue()
