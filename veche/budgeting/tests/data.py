"""Where the shared real Pabulib files are: ../shared/data/pabulib next to the repository (never copied into it)."""

from __future__ import annotations

from pathlib import Path

PABULIB_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "pabulib"


def pabulib_files() -> list[str]:
    """File names for parametrize; a single skipped case when the folder is absent."""
    import pytest

    if not PABULIB_DIR.is_dir():
        return [pytest.param("absent", marks=pytest.mark.skip(reason=f"{PABULIB_DIR} is not there"))]
    return sorted(p.name for p in PABULIB_DIR.glob("*.pb"))
