"""Design-system template tags (loaded as a builtin, so templates need no {% load %}).

They exist so that component templates stay declarative: breadcrumb trails, widget attributes for accessible error
reporting, query strings for pagination and the "current page" marker of the navigation are computed here.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def help_id(field: BoundField) -> str:
    """The id of the field's help text; the same one Django's own BoundField.aria_describedby points at."""
    return f"{field.auto_id}_helptext"


def error_id(field: BoundField) -> str:
    return f"{field.auto_id}_error"


def describedby(field: BoundField) -> str:
    """Space-separated ids of the field's help text and error list, in reading order."""
    ids = []
    if field.help_text and field.auto_id:
        ids.append(help_id(field))
    if field.errors and field.auto_id:
        ids.append(error_id(field))
    return " ".join(ids)


@register.simple_tag
def widget(field: BoundField, **attrs: Any) -> SafeString:
    """Render a field's widget with aria-describedby and aria-invalid set, plus any extra attributes.

    `{% widget field class="input--wide" autocomplete="email" %}`. A group of radios or checkboxes (use_fieldset)
    gets its description on the surrounding <fieldset> instead, so it is not repeated on every option.
    """
    final: dict[str, Any] = {key.replace("_", "-"): value for key, value in attrs.items()}
    if not field.use_fieldset:
        ids = describedby(field)
        if ids:
            final.setdefault("aria-describedby", ids)
    if field.errors:
        final["aria-invalid"] = "true"
    return field.as_widget(attrs=final)


@register.filter
def field_help_id(field: BoundField) -> str:
    return help_id(field)


@register.filter
def field_error_id(field: BoundField) -> str:
    return error_id(field)


@register.filter
def field_describedby(field: BoundField) -> str:
    return describedby(field)


@register.simple_tag
def crumbs(*parts: Any) -> list[tuple[str, str | None]]:
    """Build a breadcrumb trail from alternating labels and URLs (or URL names): the last label may go without URL.

    `{% crumbs _("Organisations") "organisations:list" organisation.name as trail %}` gives
    [("Organisations", "/en/organisations/"), ("Kolín", None)]. A value containing "/" is used as a URL as it is.
    """
    trail: list[tuple[str, str | None]] = []
    items = list(parts)
    for index in range(0, len(items), 2):
        label = items[index]
        target = items[index + 1] if index + 1 < len(items) else None
        trail.append((str(label), _resolve(target)))
    return trail


def _resolve(target: Any) -> str | None:
    if not target:
        return None
    target = str(target)
    if "/" in target or target.startswith("#"):
        return target
    try:
        return reverse(target)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def query_except(context: template.Context, *names: str) -> str:
    """The current query string without the named parameters, URL-encoded; for links that change only those.

    `{% query_except "page" as extra_query %}` keeps a search and its filters while paging.
    """
    request = context.get("request")
    if request is None:
        return ""
    query: QueryDict = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, url: str) -> SafeString:
    """aria-current for a navigation link: "page" on the page itself, "true" anywhere below it."""
    request = context.get("request")
    if request is None or not url:
        return mark_safe("")  # noqa: S308 — constant empty string
    if request.path == url:
        return format_html('aria-current="{}"', "page")
    if url.count("/") > 2 and request.path.startswith(url):
        return format_html('aria-current="{}"', "true")
    return mark_safe("")  # noqa: S308 — constant empty string


@register.filter
def tone_for(value: Any, mapping: str) -> str:
    """Pick a status_badge tone from a "value:tone,value:tone" mapping, neutral when the value is not listed.

    `{{ organisation.is_published|tone_for:"True:success,False:warning" }}`
    """
    for pair in mapping.split(","):
        key, _sep, tone = pair.partition(":")
        if key.strip() == str(value):
            return tone.strip()
    return "neutral"


@register.simple_tag
def elided_pages(page_obj: Any) -> list[int | str]:
    """Page numbers around the current page, with an ellipsis for long runs (Paginator.get_elided_page_range)."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1))


@register.filter
def file_url(value: Any) -> str:
    """The URL of a FieldFile, or "" when no file is set (FieldFile.url raises in that case)."""
    if not value:
        return ""
    try:
        return str(value.url)
    except ValueError:
        return ""


@register.filter
def table_cell(value: Any) -> dict[str, Any]:
    """A cell of components/table.html as {"text", "url", "numeric"}: a plain value becomes its text, a dict is taken
    as it is. Lets views pass strings for most cells and a dict only where a cell links somewhere."""
    if isinstance(value, dict):
        return {"text": value.get("text", ""), "url": value.get("url", ""), "numeric": bool(value.get("numeric"))}
    return {"text": "" if value is None else value, "url": "", "numeric": False}
