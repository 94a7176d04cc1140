"""Standards checklist, the organisation's own standards, population figures (service, CSV parser, pages)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from veche.consultations.models import PopulationFigure, StandardAssessment, StandardSet
from veche.consultations.population_csv import Figure, parse_population_csv
from veche.consultations.sections_report import checklist_summary
from veche.consultations.services import checklist as services
from veche.consultations.tests.factories import consultation_in

GROUPS = {
    "age_band": ["under_18", "18_29", "30_44", "45_64", "65_plus"],
    "gender": ["woman", "man", "other"],
    "district": None,
}


# --- the CSV parser (pure) ----------------------------------------------------------------------------------------


def test_csv_is_read_with_either_separator_and_a_bom():
    figures, errors = parse_population_csv(
        "\ufeffdimension;group;residents\nage_band;65_plus;3 200\ndistrict; Zálabí ;12\n", groups=GROUPS
    )
    assert errors == []
    assert figures == [Figure("age_band", "65_plus", 3200), Figure("district", "Zálabí", 12)]
    figures, errors = parse_population_csv("residents,group,dimension\n10,woman,gender\n", groups=GROUPS)
    assert figures == [Figure("gender", "woman", 10)] and errors == []


def test_csv_errors_name_their_lines_and_nothing_is_imported():
    text = (
        "dimension,group,residents\nage_band,65_plus,100\nage,old,5\ngender,woman,-3\ngender,alien,4\n"
        "district,,4\nage_band,65_plus,1\nshort\n"
    )
    figures, errors = parse_population_csv(text, groups=GROUPS)
    assert figures == []
    assert [error.line for error in errors] == [3, 4, 5, 6, 7, 8]
    assert "Unknown dimension “age”" in errors[0].message
    assert "given twice (first on line 2)" in errors[4].message


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("group,residents\nx,1\n", "missing: dimension"), ("dimension,group,residents\n", "no figures")],
)
def test_csv_without_figures_is_refused(text, message):
    figures, errors = parse_population_csv(text, groups=GROUPS)
    assert figures == [] and message in errors[0].message and errors[0].line in (1, 2)


@given(st.text(max_size=300))
def test_csv_parser_never_crashes_and_reports_lines(text):
    figures, errors = parse_population_csv("dimension,group,residents\n" + text, groups=GROUPS)
    assert not (figures and errors)
    assert all(error.line >= 1 for error in errors)
    assert all(figure.residents >= 0 for figure in figures)


# --- services -----------------------------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
def test_checklist_is_saved_scored_and_cleared(personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    items = list(consultation.standard_set.items.all())
    assessed = services.assess_standards(
        actor=personas.coordinator,
        consultation=consultation,
        ratings={items[0].pk: ("met", "Yes"), items[1].pk: ("partly", ""), items[2].pk: ("not_met", "No")},
    )
    assert assessed == 3
    score = checklist_summary(consultation)
    assert (score.items, score.met, score.partly, score.not_met) == (len(items), 1, 1, 1)
    assert score.percent == round(100 * 1.5 / len(items))
    services.assess_standards(actor=personas.coordinator, consultation=consultation, ratings={items[0].pk: ("", "")})
    assert StandardAssessment.objects.filter(consultation=consultation).count() == 2


@pytest.mark.django_db
def test_checklist_refuses_bad_ratings_foreign_items_and_other_people(personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    item = consultation.standard_set.items.first()
    with pytest.raises(ValidationError):
        services.assess_standards(
            actor=personas.coordinator, consultation=consultation, ratings={item.pk: ("great", "")}
        )
    with pytest.raises(ValidationError):
        services.assess_standards(actor=personas.coordinator, consultation=consultation, ratings={999999: ("met", "")})
    with pytest.raises(PermissionDenied):
        services.assess_standards(actor=personas.moderator, consultation=consultation, ratings={item.pk: ("met", "")})


@pytest.mark.django_db
def test_copy_and_edit_the_organisations_standard(personas):
    default = StandardSet.objects.get(organisation__isnull=True)
    copy = services.copy_standard_set(actor=personas.coordinator, organisation=personas.organisation, source=default)
    assert copy.organisation == personas.organisation and copy.items.count() == default.items.count()
    assert copy.items.get(key="good_faith").title_cs == "Dobrá víra"
    services.update_standard_set(actor=personas.coordinator, standard_set=copy, name="Ours", min_open_days=30)
    item = services.save_standard_item(actor=personas.coordinator, standard_set=copy, title="Youth council asked")
    assert item.key == "youth-council-asked"
    services.delete_standard_item(actor=personas.coordinator, item=item)
    with pytest.raises(ValidationError):
        services.update_standard_set(actor=personas.coordinator, standard_set=copy, name="Ours", min_open_days=0)
    from veche.consultations.services.standards import standard_set_for

    assert standard_set_for(personas.organisation) == copy
    with pytest.raises(PermissionDenied):
        services.copy_standard_set(
            actor=personas.other_administrator, organisation=personas.organisation, source=default
        )
    foreign = services.copy_standard_set(
        actor=personas.other_administrator, organisation=personas.other_organisation, source=default
    )
    with pytest.raises(ValidationError):
        services.copy_standard_set(actor=personas.coordinator, organisation=personas.organisation, source=foreign)


@pytest.mark.django_db
def test_population_is_replaced_per_dimension(personas):
    organisation = personas.organisation
    services.replace_population(
        actor=personas.coordinator,
        organisation=organisation,
        figures=[Figure("age_band", "65_plus", 10), Figure("district", "North", 5)],
    )
    services.replace_population(
        actor=personas.coordinator, organisation=organisation, figures=[Figure("age_band", "18_29", 7)]
    )
    assert set(PopulationFigure.objects.values_list("group", flat=True)) == {"18_29", "North"}
    with pytest.raises(ValidationError):
        services.replace_population(
            actor=personas.coordinator, organisation=organisation, figures=[Figure("gender", "alien", 1)]
        )


# --- pages --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checklist_page(client, personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    item = consultation.standard_set.items.first()
    url = reverse("consultations:checklist", args=[personas.organisation.slug, consultation.slug])
    client.force_login(personas.moderator)
    assert client.get(url).status_code == 403
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {f"rating_{item.pk}": "met", f"note_{item.pk}": "Announced 3 weeks ahead"})
    assert response.status_code == 302
    assert StandardAssessment.objects.get().note == "Announced 3 weeks ahead"


@pytest.mark.django_db
def test_standards_pages(client, personas):
    default = StandardSet.objects.get(organisation__isnull=True)
    url = reverse("consultations:standards", args=[personas.organisation.slug])
    client.force_login(personas.moderator)
    assert client.get(url).status_code == 403
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"copy": default.pk})
    copy = StandardSet.objects.get(organisation=personas.organisation)
    detail = reverse("consultations:standard", args=[personas.organisation.slug, copy.pk])
    assert response["Location"] == detail
    assert client.get(detail).status_code == 200
    client.post(detail, {"action": "set", "name": "Home standard", "min_open_days": "28"})
    copy.refresh_from_db()
    assert copy.min_open_days == 28
    client.post(
        detail, {"action": "add", "new-title": "Walk with residents", "new-description": "", "new-weight": "20"}
    )
    item = copy.items.get(key="walk-with-residents")
    client.post(
        detail, {"action": "edit", "item": item.pk, f"item-{item.pk}-title": "Walk", f"item-{item.pk}-weight": "2"}
    )
    item.refresh_from_db()
    assert item.title == "Walk"
    client.post(detail, {"action": "delete", "item": item.pk})
    assert not copy.items.filter(pk=item.pk).exists()
    other = reverse("consultations:standard", args=[personas.organisation.slug, default.pk])
    assert client.get(other).status_code == 404  # the default is copied, not edited


@pytest.mark.django_db
def test_population_page_form_and_csv_import_with_line_errors(client, personas):
    url = reverse("consultations:population", args=[personas.organisation.slug])
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "figures", "age_band__65_plus": "3200", "gender__woman": "5100"})
    assert response.status_code == 302
    assert PopulationFigure.objects.count() == 2
    bad = SimpleUploadedFile("p.csv", b"dimension,group,residents\ndistrict,North,x\n", "text/csv")
    response = client.post(url, {"action": "import", "file": bad})
    assert response.status_code == 400
    assert "Line 2:" in response.content.decode()
    good = SimpleUploadedFile("p.csv", "dimension,group,residents\ndistrict,North,12\n".encode("cp1250"), "text/csv")
    response = client.post(url, {"action": "import", "file": good})
    assert response.status_code == 302
    assert PopulationFigure.objects.count() == 3
    response = client.post(url, {"action": "import", "text": "dimension,group,residents\ndistrict,Jih,5\n"})
    assert response.status_code == 302
    assert set(PopulationFigure.objects.filter(dimension="district").values_list("group", flat=True)) == {"Jih"}
    client.post(url, {"action": "clear"})
    assert not PopulationFigure.objects.exists()
