"""The catalogues are complete and current: every entry translated in cs, pl and en, nothing fuzzy, and running
`make messages` would not change which strings they contain."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LANGUAGES = ("cs", "pl", "en")
REPO = Path(settings.BASE_DIR)
LOCALE = REPO / "locale"


def _entries(po_file: Path) -> dict[tuple[str, str], tuple[list[str], bool]]:
    """Map (msgctxt, msgid) → (translations, fuzzy) with a small parser for the subset of PO that gettext writes."""
    entries: dict[tuple[str, str], tuple[list[str], bool]] = {}
    text = po_file.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line[1:-1])
        if "msgid" not in fields:
            continue
        msgid = "".join(fields["msgid"])
        if not msgid:
            continue  # the header
        translations = ["".join(value) for key, value in fields.items() if key.startswith("msgstr")]
        entries[("".join(fields.get("msgctxt", [])), msgid)] = (translations, fuzzy)
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    po_file = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po_file.exists(), f"missing {po_file}; run `make messages`"
    entries = _entries(po_file)
    assert entries, "empty catalogue"
    untranslated = [msgid for (_ctx, msgid), (values, _f) in entries.items() if not all(values)]
    fuzzy = [msgid for (_ctx, msgid), (_v, is_fuzzy) in entries.items() if is_fuzzy]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", ("cs", "pl"))
def test_translations_are_not_copies_of_english(language):
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    same = [msgid for (_ctx, msgid), (values, _f) in entries.items() if values == [msgid] and len(msgid) > 12]
    assert len(same) <= len(entries) * 0.05, f"{language}: {len(same)} entries equal to the English, e.g. {same[:8]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_makemessages_would_not_change_the_catalogues(tmp_path):
    shutil.copytree(LOCALE, tmp_path / "locale")
    env = {**os.environ, "VECHE_LOCALE_DIR": str(tmp_path / "locale"), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    command = [
        sys.executable,
        "-m",
        "django",
        "makemessages",
        "--no-obsolete",
        "--no-location",
        "--ignore=.venv",
        "--ignore=node_modules",
        "--ignore=var",
        "-l",
        "cs",
        "-l",
        "pl",
        "-l",
        "en",
    ]
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)  # noqa: S603
    for language in LANGUAGES:
        relative = Path(language) / "LC_MESSAGES" / "django.po"
        before = set(_entries(LOCALE / relative))
        after = set(_entries(tmp_path / "locale" / relative))
        assert after == before, (
            f"{language}: `make messages` would add {sorted(after - before)[:5]} and drop {sorted(before - after)[:5]}"
        )
