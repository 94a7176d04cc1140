"""The design-system tags and the components they serve."""

from __future__ import annotations

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from veche.core.templatetags.ui import crumbs, elided_pages, file_url, query_except, tone_for


def render(source: str, **context: object) -> str:
    with translation.override("en"):
        return Template(source).render(Context(context))


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the sign.")
    email = forms.EmailField(label="Email", required=False)
    agree = forms.BooleanField(label="I agree")
    colours = forms.MultipleChoiceField(
        label="Colours", choices=[("r", "Red"), ("g", "Green")], widget=forms.CheckboxSelectMultiple, help_text="Any."
    )


def test_crumbs_resolves_url_names_and_leaves_the_last_one_without_a_link():
    with translation.override("en"):
        trail = crumbs("Organisations", "organisations:list", "Kolín")
        assert trail == [("Organisations", "/en/organisations/"), ("Kolín", None)]
        assert crumbs("A", "/a/", "B", "#b", "C", "no:such-name") == [("A", "/a/"), ("B", "#b"), ("C", None)]


def test_crumbs_in_a_template_feed_the_breadcrumbs_component():
    html = render(
        '{% crumbs "Organisations" "organisations:list" "Kolín" as trail %}'
        '{% include "components/breadcrumbs.html" with crumbs=trail only %}'
    )
    assert '<a href="/en/organisations/">Organisations</a>' in html
    assert '<span aria-current="page">Kolín</span>' in html
    assert '<a href="/en/">Home</a>' in html


def test_field_component_links_help_and_errors_to_the_widget():
    form = SampleForm(data={"name": "", "agree": ""})
    html = render('{% include "components/field.html" with field=form.name only %}', form=form)
    assert '<label for="id_name">' in html
    assert 'id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "field--invalid" in html
    assert "(required)" in html


def test_field_component_marks_nothing_on_a_valid_optional_field():
    form = SampleForm(data={"name": "x", "email": "a@example.org", "agree": "on", "colours": ["r"]})
    assert form.is_valid()
    html = render('{% include "components/field.html" with field=form.email only %}', form=form)
    assert "aria-invalid" not in html
    assert "aria-describedby" not in html
    assert "(required)" not in html


def test_field_component_puts_checkbox_groups_in_a_fieldset_described_once():
    form = SampleForm(data={})
    html = render('{% include "components/field.html" with field=form.colours only %}', form=form)
    assert "<fieldset" in html
    assert "<legend" in html
    assert html.count("aria-describedby") == 1
    assert 'aria-describedby="id_colours_helptext id_colours_error"' in html


def test_field_component_puts_a_single_checkbox_before_its_label():
    html = render('{% include "components/field.html" with field=form.agree only %}', form=SampleForm())
    assert html.index('type="checkbox"') < html.index('<label for="id_agree">')


def test_form_errors_summarise_with_links_to_the_fields():
    form = SampleForm(data={"name": ""})
    form.is_valid()
    form.add_error(None, "Something about the whole form.")
    html = render('{% include "components/form_errors.html" with form=form only %}', form=form)
    assert "Something about the whole form." in html
    assert '<a href="#id_name">Name: This field is required.</a>' in html
    assert render('{% include "components/form_errors.html" with form=form only %}', form=SampleForm()).strip() == ""


def test_widget_tag_passes_extra_attributes():
    html = render('{% widget form.name autocomplete="organization" data_x="1" %}', form=SampleForm())
    assert 'autocomplete="organization"' in html
    assert 'data-x="1"' in html


def test_query_except_keeps_the_other_parameters():
    request = RequestFactory().get("/", {"q": "kolín & co", "kind": "ngo", "page": "3"})
    assert query_except(Context({"request": request}), "page") == "q=kol%C3%ADn+%26+co&kind=ngo"
    assert query_except(Context({}), "page") == ""


def test_pagination_component_preserves_the_query_and_marks_the_current_page():
    page = Paginator(list(range(100)), 10).get_page(5)
    html = render('{% include "components/pagination.html" with page_obj=page extra_query="q=x" only %}', page=page)
    assert 'href="?q=x&amp;page=4" rel="prev"' in html
    assert 'href="?q=x&amp;page=6" rel="next"' in html
    assert '<span aria-current="page"><span class="visually-hidden">page </span>5</span>' in html
    assert "…" in html
    assert "Page 5 of 10" in html
    single = Paginator([1], 10).get_page(1)
    assert render('{% include "components/pagination.html" with page_obj=p only %}', p=single).strip() == ""


def test_elided_pages_shortens_long_runs():
    page = Paginator(list(range(1000)), 10).get_page(50)
    pages = elided_pages(page)
    assert pages[0] == 1
    assert 50 in pages
    assert len(pages) < 12


@pytest.mark.parametrize(("value", "expected"), [(True, "success"), (False, "warning"), ("other", "neutral")])
def test_tone_for(value, expected):
    assert tone_for(value, "True:success, False:warning") == expected


def test_file_url_is_empty_without_a_file():
    class NoFile:
        def __bool__(self) -> bool:
            return True

        @property
        def url(self) -> str:
            raise ValueError("no file")

    assert file_url(None) == ""
    assert file_url(NoFile()) == ""


@pytest.mark.parametrize("tone", ["neutral", "info", "success", "warning", "danger"])
def test_status_badge_tones(tone):
    html = render('{% include "components/status_badge.html" with label="Open" tone=tone only %}', tone=tone)
    assert f'class="badge badge--{tone}"' in html


def test_card_links_its_title_and_uses_the_given_heading_level():
    html = render(
        '{% include "components/card.html" with title="Kolín" url="/en/o/kolin/" text="Town" meta="CZ" level=3 only %}'
    )
    assert '<h3 class="card__title"><a href="/en/o/kolin/">Kolín</a></h3>' in html


def test_empty_state_action_only_with_url_and_label():
    html = render('{% include "components/empty_state.html" with title="Nothing" text="Yet" only %}')
    assert "Nothing" in html
    assert "button" not in html


def test_tabs_between_pages_and_within_a_page():
    tabs = [("Profile", "/p/", True), ("People", "/people/", False)]
    html = render('{% include "components/tabs.html" with tabs=tabs label="Sections" only %}', tabs=tabs)
    assert '<nav class="tabs" aria-label="Sections">' in html
    assert 'href="/p/" aria-current="page"' in html
    panels = [("One", "#one", False), ("Two", "#two", False)]
    html = render('{% include "components/tabs.html" with tabs=tabs panels=True only %}', tabs=panels)
    assert "data-tabs" in html
    assert 'href="#two"' in html


def test_dialog_falls_back_to_a_link_and_posts_with_the_csrf_token():
    html = render(
        '{% include "components/dialog.html" with id="d1" title="Sure?" trigger_label="Delete" trigger_hint="(x)" '
        'fallback_url="/confirm/" action="/delete/" confirm_label="Yes" csrf_token="tok" only %}'
    )
    assert 'href="/confirm/" data-dialog-open="d1"' in html
    assert '<dialog id="d1" class="dialog" aria-labelledby="d1-title">' in html
    assert '<form method="post" action="/delete/"' in html
    assert 'value="tok"' in html
    assert 'formmethod="dialog"' in html
    assert '<span class="visually-hidden"> (x)</span>' in html


def test_table_component_is_a_keyboard_reachable_region_named_by_its_caption():
    from django.template.loader import render_to_string

    html = render_to_string(
        "components/table.html",
        {
            "id": "towns",
            "caption": "Towns & people",
            "caption_hidden": True,
            "columns": ["Town", "People"],
            "rows": [[{"text": "Kolín <b>", "url": "/en/o/kolin/"}, {"text": "32 000", "numeric": True}], ["Brno", 5]],
        },
    )
    assert '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="towns-caption">' in html
    assert '<caption id="towns-caption" class="visually-hidden">Towns &amp; people</caption>' in html
    assert '<th scope="col">Town</th><th scope="col">People</th>' in html
    assert '<th scope="row"><a href="/en/o/kolin/">Kolín &lt;b&gt;</a></th>' in html
    assert '<td class="numeric">32 000</td>' in html
    assert '<th scope="row">Brno</th>' in html
    assert "<td>5</td>" in html
