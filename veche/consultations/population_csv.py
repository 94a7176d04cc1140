"""Reading population figures from CSV: pure, no Django import (the staff page, the CLI and the tests use it).

Format: a header line naming the columns `dimension`, `group` and `residents` (in any order; `,` or `;` between
columns), then one figure per line: `age_band,65_plus,3200`, `gender,woman,10400`, `district,Zálabí,2100`.
Every problem is reported with its line number; nothing is imported while any line is wrong.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

MAX_LINES = 2000
MAX_RESIDENTS = 100_000_000
COLUMNS = ("dimension", "group", "residents")


@dataclass(frozen=True)
class Figure:
    dimension: str
    group: str
    residents: int


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


Translate = Callable[[str], str]


def _(message: str) -> str:
    """Marks a message for the translation catalogues (makemessages); translate() turns it into the reader's
    language at run time."""
    return message


def parse_population_csv(
    text: str,
    *,
    groups: Mapping[str, Collection[str] | None],
    translate: Translate = lambda message: message,
) -> tuple[list[Figure], list[LineError]]:
    """Figures and errors from text. groups maps each dimension to its allowed group keys (None: any name, as
    for districts). translate turns the English message templates into the reader's language (gettext); they
    keep their %(name)s placeholders."""
    errors: list[LineError] = []
    text = text.lstrip("\ufeff")
    if not text.strip():
        return [], [LineError(1, translate(_("The file is empty.")))]
    lines = text.splitlines()
    if len(lines) > MAX_LINES + 1:
        return [], [
            LineError(MAX_LINES + 2, translate(_("Too many lines: at most %(limit)s figures.")) % {"limit": MAX_LINES})
        ]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [cell.strip().casefold() for cell in next(reader)]
    except csv.Error:
        return [], [LineError(1, translate(_("The first line cannot be read as CSV.")))]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        message = translate(
            _("The first line must name the columns dimension, group and residents; missing: %(columns)s.")
        )
        return [], [LineError(1, message % {"columns": ", ".join(missing)})]
    index = {name: header.index(name) for name in COLUMNS}
    figures: list[Figure] = []
    seen: dict[tuple[str, str], int] = {}
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < len(header):
                errors.append(LineError(line, translate(_("Expected %(count)s columns.")) % {"count": len(header)}))
                continue
            dimension = cells[index["dimension"]].strip()
            group = " ".join(cells[index["group"]].split())
            raw = cells[index["residents"]].strip().replace(" ", "").replace("\u00a0", "")
            if dimension not in groups:
                message = translate(_("Unknown dimension “%(value)s”; use one of %(options)s."))
                errors.append(LineError(line, message % {"value": dimension, "options": ", ".join(groups)}))
                continue
            allowed = groups[dimension]
            if not group:
                errors.append(LineError(line, translate(_("The group is missing."))))
                continue
            if len(group) > 100:
                errors.append(LineError(line, translate(_("The group name is longer than 100 characters."))))
                continue
            if allowed is not None and group not in allowed:
                message = translate(_("Unknown group “%(value)s” for %(dimension)s; use one of %(options)s."))
                errors.append(
                    LineError(line, message % {"value": group, "dimension": dimension, "options": ", ".join(allowed)})
                )
                continue
            if not raw.isdigit() or int(raw) > MAX_RESIDENTS:
                message = translate(_("“%(value)s” is not a number of residents (a whole number, 0 or more)."))
                errors.append(LineError(line, message % {"value": cells[index["residents"]].strip()}))
                continue
            key = (dimension, group.casefold())
            if key in seen:
                message = translate(_("“%(group)s” is given twice (first on line %(first)s)."))
                errors.append(LineError(line, message % {"group": group, "first": seen[key]}))
                continue
            seen[key] = line
            figures.append(Figure(dimension, group, int(raw)))
    except csv.Error:
        errors.append(LineError(line + 1, translate(_("This line cannot be read as CSV."))))
    if not figures and not errors:
        errors.append(LineError(2, translate(_("The file has no figures."))))
    return ([] if errors else figures), errors
