"""The report snapshot (report_snapshot.py) presented for people: labels in the active language, and the files —
CSV and XLSX of every contribution with its response, and the PDF report (WeasyPrint). The caller chooses the
language (the consultation's, with translation.override) before calling."""

from __future__ import annotations

import csv
import io
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from veche.consultations.choices import AgeBand, Channel, ContributionKind, Gender, MethodKind, TargetGroup
from veche.consultations.models import ResponseOutcome, StandardRating
from veche.consultations.report_snapshot import HIDDEN, UNANSWERED

OUTCOME_ORDER = [*ResponseOutcome.values, UNANSWERED, HIDDEN]
OUTCOME_TONES = {
    "accepted": "success",
    "partly": "info",
    "not_accepted": "danger",
    "out_of_scope": "warning",
    UNANSWERED: "warning",
    HIDDEN: "neutral",
}


def outcome_labels() -> dict[str, str]:
    labels = {key: str(label) for key, label in ResponseOutcome.choices}
    labels[UNANSWERED] = _("Not answered")
    labels[HIDDEN] = _("Hidden by the moderator")
    return labels


def dimension_labels() -> dict[str, str]:
    return {"age_band": _("Age"), "gender": _("Gender"), "district": _("District")}


def group_label(dimension: str, group: str) -> str:
    if dimension == "age_band":
        return str(dict(AgeBand.choices).get(group, group))
    if dimension == "gender":
        return str(dict(Gender.choices).get(group, group))
    return group


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def present(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with labels, dates and shares ready for a template (not the contributions: see rows())."""
    outcomes = outcome_labels()
    kinds, channels = dict(ContributionKind.choices), dict(Channel.choices)
    methods, groups = dict(MethodKind.choices), dict(TargetGroup.choices)
    ratings = dict(StandardRating.choices)
    about = dict(snapshot["consultation"])
    for key in ("opens_at", "closes_at", "report_due"):
        about[key] = _dt(about.get(key))
    about["methods"] = [
        {**method, "label": methods.get(method["kind"], method["kind"]), "starts_at": _dt(method["starts_at"])}
        for method in about["methods"]
    ]
    about["target_groups"] = [groups.get(group, group) for group in about["target_groups"]]
    participation = dict(snapshot["participation"])
    participation["by_channel"] = [
        {**row, "label": channels.get(row["channel"], row["channel"])} for row in participation["by_channel"]
    ]
    participation["by_kind"] = [
        {**row, "label": kinds.get(row["kind"], row["kind"])} for row in participation["by_kind"]
    ]
    dimensions = []
    for dimension in snapshot["demographics"]["dimensions"]:
        rows = [
            {
                **row,
                "label": group_label(dimension["dimension"], row["group"]),
                "percent": None if row["share"] is None else round(100 * row["share"]),
                "population_percent": None if row["population_share"] is None else round(100 * row["population_share"]),
            }
            for row in dimension["groups"]
        ]
        dimensions.append(
            {
                **dimension,
                "label": dimension_labels()[dimension["dimension"]],
                "groups": rows,
                "flagged": [row["label"] for row in rows if row["under_represented"]],
            }
        )
    totals = snapshot["outcomes"]

    def outcome_list(counts: dict[str, int]) -> list[dict[str, Any]]:
        return [
            {"key": key, "label": outcomes[key], "count": counts[key], "tone": OUTCOME_TONES[key]}
            for key in OUTCOME_ORDER
            if counts.get(key)
        ]

    standards = snapshot.get("standards")
    if standards:
        standards = {
            **standards,
            "items": [{**item, "rating_label": ratings.get(item["rating"], "")} for item in standards["items"]],
        }
    return {
        "about": about,
        "outcome_text": snapshot["outcome_text"],
        "participation": participation,
        "demographics": {"answered": snapshot["demographics"]["answered"], "dimensions": dimensions},
        "outcomes": outcome_list(totals),
        "sections": [{**section, "outcomes": outcome_list(section["outcomes"])} for section in snapshot["sections"]],
        "themes": [
            {
                **theme,
                "outcome_label": outcomes.get(theme["outcome"], ""),
                "tone": OUTCOME_TONES.get(theme["outcome"], "neutral"),
            }
            for theme in snapshot["themes"]
        ],
        "standards": standards,
        "built_at": _dt(snapshot["built_at"]),
    }


def rows(contributions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Contributions with their labels, for the report page's list and the PDF's annex."""
    outcomes, kinds, channels = outcome_labels(), dict(ContributionKind.choices), dict(Channel.choices)
    return [
        {
            **row,
            "kind_label": kinds.get(row["kind"], row["kind"]),
            "channel_label": channels.get(row["channel"], row["channel"]),
            "outcome_label": outcomes.get(row["outcome"], row["outcome"]),
            "tone": OUTCOME_TONES.get(row["outcome"], "neutral"),
        }
        for row in contributions
    ]


# --- CSV and XLSX -------------------------------------------------------------------------------------------------


def _columns() -> list[str]:
    return [
        _("No."),
        _("Date"),
        _("Kind"),
        _("Channel"),
        _("Document"),
        _("Section"),
        _("Paragraph"),
        _("From"),
        _("Text"),
        _("Proposed wording"),
        _("Theme"),
        _("Outcome"),
        _("Justification"),
        _("Answered through the theme"),
    ]


def _table(contributions: list[dict[str, Any]]) -> list[list[Any]]:
    outcomes, kinds, channels = outcome_labels(), dict(ContributionKind.choices), dict(Channel.choices)
    yes, no = _("yes"), _("no")
    table = []
    for row in contributions:
        if row["hidden"]:
            text = _("Hidden by the moderator: %(reason)s") % {"reason": row["moderation_reason"] or "—"}
        else:
            text = row["text"]
        table.append(
            [
                row["id"],
                row["date"],
                str(kinds.get(row["kind"], row["kind"])),
                str(channels.get(row["channel"], row["channel"])),
                row["document"],
                row["section"],
                row["paragraph"] if row["paragraph"] is not None else "",
                row["from"],
                text,
                row["proposed_text"],
                row["theme"],
                outcomes.get(row["outcome"], row["outcome"]),
                row["justification"],
                yes if row["via_theme"] else no,
            ]
        )
    return table


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (=, +, -, @ …) is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def contributions_csv(snapshot: dict[str, Any]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Czech and Polish letters correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_columns())
    for line in _table(snapshot["contributions"]):
        writer.writerow([_safe_cell(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def contributions_xlsx(snapshot: dict[str, Any]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet(_("Contributions")[:31])
    columns = _columns()
    widths = [7, 11, 16, 16, 20, 20, 9, 18, 60, 40, 20, 16, 60, 10]
    for index, (title, width) in enumerate(zip(columns, widths, strict=True)):
        sheet.set_column(index, index, width, wrap if width >= 40 else None)
        sheet.write(0, index, title, bold)
    table = _table(snapshot["contributions"])
    for row_index, line in enumerate(table, start=1):
        for column, value in enumerate(line):
            if isinstance(value, int):
                sheet.write_number(row_index, column, value)
            else:
                sheet.write_string(row_index, column, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table), 1), len(columns) - 1)
    summary = workbook.add_worksheet(_("Summary")[:31])
    summary.set_column(0, 0, 40)
    summary.write(0, 0, snapshot["consultation"]["subject"], bold)
    line = 2
    summary.write(line, 0, _("Outcome"), bold)
    summary.write(line, 1, _("Contributions"), bold)
    for key, label in outcome_labels().items():
        if snapshot["outcomes"].get(key):
            line += 1
            summary.write_string(line, 0, label)
            summary.write_number(line, 1, snapshot["outcomes"][key])
    line += 2
    summary.write(line, 0, _("Channel"), bold)
    summary.write(line, 1, _("Contributions"), bold)
    channels = dict(Channel.choices)
    for row in snapshot["participation"]["by_channel"]:
        line += 1
        summary.write_string(line, 0, str(channels.get(row["channel"], row["channel"])))
        summary.write_number(line, 1, row["count"])
    workbook.close()
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------------------


# Pages of the PDF per contribution in its annex, measured (benchmarks/consultation_report.py): for progress only.
PAGES_PER_CONTRIBUTION = 0.1


class _PageProgress(logging.Handler):
    """Hears WeasyPrint lay out page after page (its "weasyprint.progress" log) in this thread."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page, self.thread = on_page, threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if threading.get_ident() == self.thread and str(record.msg).startswith("Step 5") and record.args:
            self.on_page(int(record.args[0]))  # type: ignore[index]


def report_pdf(snapshot: dict[str, Any], on_page: Callable[[int], None] | None = None) -> bytes:
    """The report as a tagged PDF (PDF/UA): the same sections as the web page and an annex of every contribution
    with its response. Fonts: DejaVu Sans (or Noto Sans / Liberation Sans) from the system, which cover Czech and
    Polish letters. on_page(n) is called as WeasyPrint lays out page n (for progress)."""
    from weasyprint import CSS, HTML

    context = {**present(snapshot), "contributions": rows(snapshot["contributions"]), "pdf": True}
    html = render_to_string("consultations/report/pdf.html", context)
    stylesheet = CSS(string=render_to_string("consultations/report/pdf.css"))
    document = HTML(string=html, base_url=None)
    progress_logger = logging.getLogger("weasyprint.progress")
    handler = _PageProgress(on_page) if on_page is not None else None
    level, propagate = progress_logger.level, progress_logger.propagate
    if handler is not None:
        progress_logger.addHandler(handler)
        progress_logger.setLevel(logging.INFO)
    progress_logger.propagate = False  # page-by-page lines are not for the site's log
    try:
        return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True)
    finally:
        if handler is not None:
            progress_logger.removeHandler(handler)
        progress_logger.setLevel(level)
        progress_logger.propagate = propagate
