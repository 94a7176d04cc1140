"""The coordinators' export of the filtered directory, as CSV or XLSX, with only the fields each person made
visible to the coordinators (VisibleProfile at the coordinator's clearance)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from veche.network.visibility import VisibleProfile

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> str:
    """A cell spreadsheets will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def headers() -> list[str]:
    return [
        _("Name"),
        _("Organisation"),
        _("Role"),
        _("Region"),
        _("Country"),
        _("Languages"),
        _("Methods"),
        _("Topics"),
        _("Years of experience"),
        _("Available as"),
        _("Processes they ran"),
        _("Profile"),
    ]


def row(profile: VisibleProfile, *, base_url: str) -> list[Any]:
    return [
        profile.name,
        profile.organisation_name,
        profile.role_label,
        profile.region,
        profile.country_label,
        ", ".join(profile.language_labels),
        ", ".join(method.name for method in profile.methods),
        ", ".join(topic.name for topic in profile.topics),
        profile.years_of_experience if profile.years_of_experience is not None else "",
        ", ".join(profile.availability_labels),
        "; ".join(
            f"{item['title']} ({item['url']})" if item.get("url") else item["title"] for item in profile.processes
        ),
        base_url.rstrip("/") + profile.get_absolute_url(),
    ]


def csv_lines(profiles: Iterable[VisibleProfile], *, base_url: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for profile in profiles:
        writer.writerow([_safe(value) for value in row(profile, base_url=base_url)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(profiles: Iterable[VisibleProfile], *, base_url: str, sheet: str) -> bytes:
    import xlsxwriter

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    worksheet = workbook.add_worksheet(sheet[:31] or "Practitioners")
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, headers(), bold)
    for index, profile in enumerate(profiles, start=1):
        worksheet.write_row(index, 0, row(profile, base_url=base_url))
    worksheet.freeze_panes(1, 0)
    workbook.close()
    return output.getvalue()
