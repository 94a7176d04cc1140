"""Read the roles × actions tables in docs/domain/permissions.md, so the permission tests are generated from the doc.

A table counts when its header row starts with `| permission | object |` followed by persona names
(see veche/core/testing/personas.py). Cells are ✓ (allowed) or ✗ (refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "domain" / "permissions.md"
ALLOWED, REFUSED = "✓", "✗"


@dataclass(frozen=True)
class Expectation:
    permission: str
    obj: str
    persona: str
    allowed: bool

    @property
    def id(self) -> str:
        return f"{self.permission}[{self.obj}]-{self.persona}"


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]


def read_expectations(path: Path = DOC) -> list[Expectation]:
    expectations: list[Expectation] = []
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if cells[:2] == ["permission", "object"]:
            header = cells
            continue
        if header is None or set(line) <= set("|-: "):
            continue
        if len(cells) != len(header):
            raise ValueError(f"{path}: row has {len(cells)} cells, header has {len(header)}: {line}")
        permission, obj = cells[0], cells[1]
        for persona, cell in zip(header[2:], cells[2:], strict=True):
            if cell not in (ALLOWED, REFUSED):
                raise ValueError(f"{path}: cell for {permission}/{persona} must be {ALLOWED} or {REFUSED}: {cell!r}")
            expectations.append(Expectation(permission, obj, persona, cell == ALLOWED))
    return expectations


def expectations_for(prefix: str) -> list[Expectation]:
    """The expectations whose permission name starts with prefix (an app label and a dot)."""
    return [item for item in read_expectations() if item.permission.startswith(prefix)]
