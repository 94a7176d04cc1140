"""The organisation pages through the test client, for every persona."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image

from veche.audit.models import AuditEntry
from veche.core.testing.factories import (
    AffiliationFactory,
    NetworkFactory,
    OrganisationFactory,
    RoleFactory,
    UserFactory,
)
from veche.core.tests.imaging import image_bytes, upload
from veche.organisations.choices import OrganisationKind, RoleKind
from veche.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db

STAFF_WHO_MAY_CHANGE = {"administrator", "superuser"}
SIGNED_IN_WHO_MAY_NOT = ["resident", "member", "expert", "moderator", "coordinator", "other_administrator"]


def url(name: str, organisation: Organisation | None = None, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        if organisation is not None:
            kwargs["slug"] = organisation.slug
        return reverse(f"organisations:{name}", kwargs=kwargs or None)


def signed_in(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def edit_data(organisation: Organisation, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_cs": organisation.name_cs or "",
        "name_pl": organisation.name_pl or "",
        "name_en": organisation.name_en or "",
        "description_cs": "",
        "description_pl": "",
        "description_en": "",
        "country": organisation.country,
        "region": organisation.region,
        "region_code": organisation.region_code,
        "population": "" if organisation.population is None else organisation.population,
        "website": organisation.website,
    }
    data.update(overrides)
    return data


# --- List --------------------------------------------------------------------------------------------------------


def test_list_shows_published_organisations_and_hides_unpublished_ones(client):
    OrganisationFactory(name="Visible Town", name_en="Visible Town")
    OrganisationFactory(name="Secret Town", name_en="Secret Town", is_published=False)
    page = client.get(url("list")).content.decode()
    assert "Visible Town" in page
    assert "Secret Town" not in page


def test_list_shows_an_administrator_their_unpublished_organisation_marked_as_such(client):
    hidden = OrganisationFactory(name="Secret Town", name_en="Secret Town", is_published=False)
    admin = RoleFactory(organisation=hidden, kind=RoleKind.ADMINISTRATOR).user
    page = signed_in(client, admin).get(url("list")).content.decode()
    assert "Secret Town" in page
    assert "Not published" in page


def test_search_matches_the_name_in_any_language(client):
    OrganisationFactory(name_en="Town of Kolin", name_cs="Město Kolín", name_pl="Miasto Kolín")
    OrganisationFactory(name_en="City of Gdynia", name_pl="Miasto Gdynia")
    page = client.get(url("list"), {"q": "město"}).content.decode()
    assert "Town of Kolin" in page
    assert "City of Gdynia" not in page
    page = client.get(url("list"), {"q": "Miasto"}).content.decode()
    assert "Town of Kolin" in page
    assert "City of Gdynia" in page


def test_filters_by_kind_and_country(client):
    OrganisationFactory(name_en="Czech Town", country="CZ")
    OrganisationFactory(name_en="Polish Town", country="PL")
    OrganisationFactory(name_en="Polish NGO", country="PL", kind=OrganisationKind.NGO)
    page = client.get(url("list"), {"country": "PL", "kind": "municipality"}).content.decode()
    assert "Polish Town" in page
    assert "Czech Town" not in page
    assert "Polish NGO" not in page


def test_an_invalid_filter_is_ignored_not_an_error(client):
    OrganisationFactory(name_en="Czech Town")
    response = client.get(url("list"), {"kind": "castle", "country": "XX"})
    assert response.status_code == 200
    assert "Czech Town" in response.content.decode()


def test_list_paginates_by_twenty_and_keeps_the_search_in_page_links(client):
    for number in range(25):
        OrganisationFactory(name_en=f"Town {number:02d}")
    first = client.get(url("list"), {"q": "Town"})
    assert len(first.context["organisations"]) == 20
    page = first.content.decode()
    assert 'aria-current="page"' in page
    assert "?q=Town&amp;page=2" in page
    second = client.get(url("list"), {"q": "Town", "page": 2})
    assert len(second.context["organisations"]) == 5
    assert client.get(url("list"), {"page": "999"}).status_code == 200


def test_list_answers_htmx_with_the_results_only_and_updates_the_count_out_of_band(client):
    OrganisationFactory(name_en="Czech Town")
    OrganisationFactory(name_en="Polish Town", country="PL")
    response = client.get(url("list"), {"country": "PL"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "Polish Town" in fragment
    assert "Czech Town" not in fragment
    assert '<span id="organisation-count" hx-swap-oob="innerHTML">1 organisation found' in fragment
    assert "HX-Request" in response["Vary"]
    page = client.get(url("list"), {"country": "PL"}).content.decode()
    assert "<html" in page
    assert 'hx-get="/en/organisations/" hx-target="#organisation-results"' in page
    assert "hx-swap-oob" not in page


def test_list_empty_states(client):
    assert "No organisations yet" in client.get(url("list")).content.decode()
    OrganisationFactory(name_en="Czech Town")
    page = client.get(url("list"), {"q": "nothing like this"}).content.decode()
    assert "No organisation matches your search" in page


@pytest.mark.parametrize("persona", ["anonymous", "administrator"])
def test_list_query_count_does_not_grow_with_the_number_of_organisations(
    persona, client, personas, django_assert_num_queries
):
    user = personas.get(persona)
    signed_in(client, user)
    network = NetworkFactory()
    AffiliationFactory(network=network)

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("list")).status_code == 200
        return len(captured)

    few = count_queries()
    for _ in range(15):
        AffiliationFactory(network=network, organisation=OrganisationFactory(logo="organisations/x/logo/a.png"))
    with django_assert_num_queries(few):
        client.get(url("list"))


# --- Detail ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["anonymous", "resident", "member", "expert", "moderator", "coordinator", "administrator", "other_administrator"],
)
def test_detail_of_a_published_organisation_is_public(persona, client, personas):
    signed_in(client, personas.get(persona))
    response = client.get(url("detail", personas.organisation))
    assert response.status_code == 200
    assert response.context["organisation"] == personas.organisation


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 404),
        ("resident", 404),
        ("member", 404),
        ("coordinator", 200),
        ("moderator", 200),
        ("other_administrator", 404),
        ("administrator", 200),
        ("superuser", 200),
    ],
)
def test_detail_of_an_unpublished_organisation_is_hidden(persona, status, client, personas):
    Organisation.objects.filter(pk=personas.organisation.pk).update(is_published=False)
    signed_in(client, personas.get(persona))
    assert client.get(url("detail", personas.organisation)).status_code == status


@pytest.mark.parametrize("persona", ["anonymous", "member", "coordinator", "other_administrator", "administrator"])
def test_edit_and_people_links_only_for_those_allowed(persona, client, personas):
    signed_in(client, personas.get(persona))
    response = client.get(url("detail", personas.organisation))
    page = response.content.decode()
    allowed = persona in STAFF_WHO_MAY_CHANGE
    assert response.context["can_change"] is allowed
    assert response.context["can_manage_roles"] is allowed
    assert (url("edit", personas.organisation) in page) is allowed
    assert (url("people", personas.organisation) in page) is allowed


def test_detail_renders_the_description_as_escaped_text_with_paragraphs(client):
    organisation = OrganisationFactory(description_en="First line.\n\n<script>alert(1)</script> second")
    page = client.get(url("detail", organisation)).content.decode()
    assert "<p>First line.</p>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(("language", "formatted"), [("en", "33,500"), ("cs", "33\xa0500"), ("pl", "33\xa0500")])
def test_population_is_formatted_in_the_readers_locale(language, formatted, client):
    organisation = OrganisationFactory(population=33_500)
    page = client.get(url("detail", organisation, language=language)).content.decode()
    assert formatted in page


def test_detail_shows_the_name_in_the_readers_language_with_fallback(client):
    organisation = OrganisationFactory(name_en="Town of Kolin", name_cs="Město Kolín", name_pl="")
    assert "<h1>Město Kolín</h1>" in client.get(url("detail", organisation, language="cs")).content.decode()
    assert "<h1>Town of Kolin</h1>" in client.get(url("detail", organisation, language="pl")).content.decode()


def test_network_page_lists_current_published_members_and_member_page_lists_its_networks(client):
    network = NetworkFactory(name_en="Participation Hub")
    AffiliationFactory(network=network, organisation=OrganisationFactory(name_en="Member Town"))
    AffiliationFactory(network=network, organisation=OrganisationFactory(name_en="Hidden Town", is_published=False))
    former = OrganisationFactory(name_en="Former Town")
    AffiliationFactory(network=network, organisation=former, left_on="2024-01-01")
    page = client.get(url("detail", network)).content.decode()
    assert "Member Town" in page
    assert "Hidden Town" not in page
    assert "Former Town" not in page
    member = Organisation.objects.get(name_en="Member Town")
    assert "Participation Hub" in client.get(url("detail", member)).content.decode()


def test_detail_shows_the_logo_with_alternative_text(client):
    organisation = OrganisationFactory(name_en="Logo Town", logo="organisations/logo-town/logo/logo.png")
    page = client.get(url("detail", organisation)).content.decode()
    assert 'alt="Logo of Logo Town"' in page


def test_detail_query_count_does_not_grow_with_the_number_of_members(client, django_assert_max_num_queries):
    network = NetworkFactory()
    AffiliationFactory(network=network)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url("detail", network))
    for _ in range(10):
        AffiliationFactory(network=network)
    with django_assert_max_num_queries(len(captured)):
        client.get(url("detail", network))


# --- Edit --------------------------------------------------------------------------------------------------------


def test_edit_sends_anonymous_visitors_to_sign_in(client, personas):
    response = client.get(url("edit", personas.organisation))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", SIGNED_IN_WHO_MAY_NOT)
def test_edit_is_refused_to_everyone_but_administrators(persona, client, personas):
    signed_in(client, personas.get(persona))
    assert client.get(url("edit", personas.organisation)).status_code == 403
    response = client.post(url("edit", personas.organisation), edit_data(personas.organisation, name_en="Hacked"))
    assert response.status_code == 403
    personas.organisation.refresh_from_db()
    assert personas.organisation.name_en == "Home Town"


def test_edit_of_an_unpublished_organisation_is_a_404_for_outsiders(client, personas):
    Organisation.objects.filter(pk=personas.organisation.pk).update(is_published=False)
    signed_in(client, personas.other_administrator)
    assert client.get(url("edit", personas.organisation)).status_code == 404


@pytest.mark.parametrize("persona", sorted(STAFF_WHO_MAY_CHANGE))
def test_administrator_saves_the_profile_through_the_service(persona, client, personas):
    organisation = personas.organisation
    signed_in(client, personas.get(persona))
    assert client.get(url("edit", organisation)).status_code == 200
    response = client.post(
        url("edit", organisation),
        edit_data(
            organisation,
            name_cs="Domovské město",
            description_pl="Opis",
            region="Středočeský kraj",
            region_code="cz020",
            population="33500",
            website="https://example.org",
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("detail", organisation)
    organisation.refresh_from_db()
    assert organisation.name_cs == "Domovské město"
    assert organisation.description_pl == "Opis"
    assert organisation.region_code == "CZ020"
    assert organisation.population == 33_500
    entry = AuditEntry.objects.get(action="organisations.updated")
    assert entry.actor == personas.get(persona)
    assert "name_cs" in entry.data["fields"]
    assert "saved" in response.content.decode()


def test_edit_needs_a_name_in_at_least_one_language_and_saves_nothing(client, personas):
    organisation = personas.organisation
    signed_in(client, personas.administrator)
    response = client.post(
        url("edit", organisation), edit_data(organisation, name_cs="", name_pl="", name_en="", region="Changed")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name_en"] == ["Give the organisation a name in at least one language."]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_name_en_error"' in page
    organisation.refresh_from_db()
    assert organisation.region == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [("XX1", "The region code must start with the country code CZ."), ("1234", "A NUTS code is two letters")],
)
def test_edit_rejects_a_bad_region_code_at_the_field(code, message, client, personas):
    signed_in(client, personas.administrator)
    response = client.post(url("edit", personas.organisation), edit_data(personas.organisation, region_code=code))
    assert response.status_code == 200
    assert message in response.context["form"].errors["region_code"][0]


def test_edit_rejects_a_non_http_website(client, personas):
    signed_in(client, personas.administrator)
    response = client.post(
        url("edit", personas.organisation), edit_data(personas.organisation, website="javascript:alert(1)")
    )
    assert "website" in response.context["form"].errors


def test_edit_has_no_population_field_for_an_ngo(client):
    ngo = OrganisationFactory(kind=OrganisationKind.NGO)
    admin = RoleFactory(organisation=ngo, kind=RoleKind.ADMINISTRATOR).user
    signed_in(client, admin)
    response = client.get(url("edit", ngo))
    assert "population" not in response.context["form"].fields
    client.post(url("edit", ngo), edit_data(ngo, population="1000"))
    ngo.refresh_from_db()
    assert ngo.population is None


def test_edit_is_rate_limited(client, personas):
    signed_in(client, personas.administrator)
    invalid = edit_data(personas.organisation, name_en="", name_cs="", name_pl="")
    statuses = [client.post(url("edit", personas.organisation), invalid).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


# --- Logo upload -------------------------------------------------------------------------------------------------


def test_logo_upload_is_reencoded_and_stripped_of_exif(client, personas):
    organisation = personas.organisation
    signed_in(client, personas.administrator)
    original = image_bytes("JPEG", size=(2000, 1000), gps=True)
    data = edit_data(organisation, logo=upload(original, "photo.jpeg", "image/jpeg"))
    response = client.post(url("edit", organisation), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith(f"organisations/{organisation.slug}/logo/photo")
    with organisation.logo.open("rb") as stored:
        saved = stored.read()
    assert saved != original
    image = Image.open(io.BytesIO(saved))
    assert max(image.size) == 1024
    assert not image.getexif()


def test_logo_upload_refuses_a_file_that_is_not_an_image(client, personas):
    signed_in(client, personas.administrator)
    data = edit_data(personas.organisation, logo=upload(b"<?php echo 1; ?>", "logo.png"))
    response = client.post(url("edit", personas.organisation), data)
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == ["This file is not an image we can read."]
    assert 'id="id_logo_error"' in response.content.decode()
    personas.organisation.refresh_from_db()
    assert not personas.organisation.logo


def test_logo_upload_refuses_a_file_that_is_too_big(client, personas, settings):
    settings.VECHE_MAX_IMAGE_BYTES = 1000
    signed_in(client, personas.administrator)
    big = image_bytes("PNG", size=(400, 400), mode="RGB")
    big += b"\0" * 2000
    response = client.post(url("edit", personas.organisation), edit_data(personas.organisation, logo=upload(big)))
    assert response.status_code == 200
    assert "the largest we accept is" in response.context["form"].errors["logo"][0]


def test_logo_can_be_cleared(client, personas):
    organisation = personas.organisation
    Organisation.objects.filter(pk=organisation.pk).update(logo="organisations/home-town/logo/old.png")
    signed_in(client, personas.administrator)
    response = client.post(url("edit", organisation), edit_data(organisation, **{"logo-clear": "on"}))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.logo


# --- People ------------------------------------------------------------------------------------------------------


def test_people_page_sends_anonymous_visitors_to_sign_in(client, personas):
    assert client.get(url("people", personas.organisation)).status_code == 302


@pytest.mark.parametrize("persona", SIGNED_IN_WHO_MAY_NOT)
def test_people_page_is_refused_to_everyone_but_administrators(persona, client, personas):
    signed_in(client, personas.get(persona))
    assert client.get(url("people", personas.organisation)).status_code == 403
    response = client.post(url("people", personas.organisation), {"email": "resident@example.org", "kind": "member"})
    assert response.status_code == 403
    assert not Role.objects.filter(user=personas.resident).exists()


def test_people_page_lists_the_roles(client, personas):
    signed_in(client, personas.administrator)
    response = client.get(url("people", personas.organisation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "moderator@example.org" in page
    assert "other-admin@example.org" not in page
    assert f'data-dialog-open="revoke-{Role.objects.get(user=personas.moderator).pk}"' in page


def test_grant_a_role_by_email(client, personas):
    signed_in(client, personas.administrator)
    response = client.post(
        url("people", personas.organisation), {"email": "Resident@Example.org", "kind": "expert"}, follow=True
    )
    assert Role.objects.filter(user=personas.resident, organisation=personas.organisation, kind="expert").exists()
    assert AuditEntry.objects.filter(action="organisations.role_granted").count() == 1
    assert "now holds the role" in response.content.decode()


def test_grant_to_an_unknown_email_says_so_at_the_field(client, personas):
    signed_in(client, personas.administrator)
    response = client.post(url("people", personas.organisation), {"email": "nobody@example.org", "kind": "member"})
    assert response.status_code == 200
    assert "No account uses this email address" in response.context["form"].errors["email"][0]


def test_grant_of_a_role_already_held_is_an_error_not_a_crash(client, personas):
    signed_in(client, personas.administrator)
    response = client.post(url("people", personas.organisation), {"email": "member@example.org", "kind": "member"})
    assert response.status_code == 200
    assert "already has this role" in response.context["form"].errors["kind"][0]


def test_revoke_asks_for_confirmation_then_revokes(client, personas):
    role = Role.objects.get(user=personas.moderator, organisation=personas.organisation)
    signed_in(client, personas.administrator)
    confirm = client.get(url("revoke_role", personas.organisation, role_id=role.pk))
    assert confirm.status_code == 200
    assert "Remove the role" in confirm.content.decode()
    assert Role.objects.filter(pk=role.pk).exists()
    response = client.post(url("revoke_role", personas.organisation, role_id=role.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("people", personas.organisation)
    assert not Role.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(action="organisations.role_revoked").count() == 1


def test_revoking_the_last_administrator_is_refused_with_a_message(client, personas):
    role = Role.objects.get(user=personas.administrator, organisation=personas.organisation)
    signed_in(client, personas.administrator)
    response = client.post(url("revoke_role", personas.organisation, role_id=role.pk), follow=True)
    assert Role.objects.filter(pk=role.pk).exists()
    assert "needs at least one administrator" in response.content.decode()


def test_revoking_one_of_two_administrators_works(client, personas):
    second = RoleFactory(organisation=personas.organisation, kind=RoleKind.ADMINISTRATOR)
    signed_in(client, personas.administrator)
    client.post(url("revoke_role", personas.organisation, role_id=second.pk))
    assert not Role.objects.filter(pk=second.pk).exists()


def test_a_role_of_another_organisation_cannot_be_revoked_through_this_one(client, personas):
    foreign = Role.objects.get(user=personas.other_administrator)
    signed_in(client, personas.administrator)
    assert client.post(url("revoke_role", personas.organisation, role_id=foreign.pk)).status_code == 404
    assert Role.objects.filter(pk=foreign.pk).exists()


def test_other_administrator_cannot_revoke(client, personas):
    role = Role.objects.get(user=personas.member, organisation=personas.organisation)
    signed_in(client, personas.other_administrator)
    assert client.post(url("revoke_role", personas.organisation, role_id=role.pk)).status_code == 403
    assert Role.objects.filter(pk=role.pk).exists()


def test_granted_role_takes_effect_on_the_next_request(client, personas):
    newcomer = UserFactory()
    signed_in(client, personas.administrator)
    client.post(url("people", personas.organisation), {"email": newcomer.email, "kind": "administrator"})
    client.logout()
    signed_in(client, newcomer)
    assert client.get(url("edit", personas.organisation)).status_code == 200


def test_list_sorts_by_the_name_the_reader_sees_including_fallbacks(client):
    OrganisationFactory(name_en="", name_cs="Zlín", slug="zlin")
    polish_only = OrganisationFactory(name_en="", name_cs="", slug="cieszyn")
    Organisation.objects.filter(pk=polish_only.pk).update(name_en="", name_cs="", name_pl="Cieszyn")
    OrganisationFactory(name_en="", name_cs="Brno", slug="brno")
    page = client.get(url("list", language="cs")).content.decode()
    positions = [page.index(name) for name in ("Brno", "Cieszyn", "Zlín")]
    assert positions == sorted(positions)
