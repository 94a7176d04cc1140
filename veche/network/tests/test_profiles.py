"""Practitioners' profiles: saving, the photo's metadata, who sees which field, and SQL agreeing with Python."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from veche.core.models import Method, Topic
from veche.core.testing.factories import NetworkFactory, RoleFactory, UserFactory
from veche.network import services
from veche.network.choices import Visibility
from veche.network.models import PractitionerProfile
from veche.network.tests.factories import MembershipFactory, PractitionerProfileFactory
from veche.network.visibility import GROUPS, VisibleProfile, clearance_for

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    gps = {1: "N", 2: (50.0, 5.0, 0.0), 3: "E", 4: (14.0, 25.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_person_creates_and_publishes_a_profile(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = UserFactory(display_name="Eva Nováková")
    upload = jpeg_with_gps()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get(0x8825)
    upload.seek(0)
    profile = services.save_profile(
        actor=person,
        changes={
            "is_published": True,
            "name": "Eva Nováková",
            "bio": "Participatory budgets in Brno",
            "languages": ["cs"],
        },
        methods=list(Method.objects.filter(slug="participatory_budgeting")),
        topics=list(Topic.objects.filter(slug="climate")),
        photo=upload,
    )
    assert profile.is_published
    with profile.photo.open("rb") as stored, Image.open(stored) as image:
        assert max(image.size) <= 600
        assert not image.getexif()  # no EXIF at all, so no GPS
    assert "novakova" in profile.search_public and "brno" in profile.search_public
    # Method and topic names are searchable in every language.
    assert "participativni rozpocet" in profile.search_public or "budzet" in profile.search_public
    assert "klima" in profile.search_public


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError):
        services.save_profile(
            actor=UserFactory(),
            changes={"name": "X"},
            photo=SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        )


def test_unknown_languages_are_refused():
    with pytest.raises(ValidationError):
        services.save_profile(actor=UserFactory(), changes={"name": "X", "languages": ["xx"]})


def test_anonymous_cannot_save_a_profile():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.save_profile(actor=AnonymousUser(), changes={"name": "X"})


def test_hidden_fields_never_reach_the_search_documents():
    person = UserFactory()
    profile = services.save_profile(
        actor=person,
        changes={
            "name": "Public Name",
            "bio": "secretword",
            "bio_visibility": Visibility.HIDDEN,
            "organisation_name": "Memberorg",
            "organisation_visibility": Visibility.MEMBERS,
            "region": "Coordregion",
            "location_visibility": Visibility.COORDINATORS,
        },
    )
    assert "secretword" not in profile.search_public + profile.search_members + profile.search_coordinators
    assert "memberorg" not in profile.search_public and "memberorg" in profile.search_members
    assert "coordregion" not in profile.search_members and "coordregion" in profile.search_coordinators


@pytest.fixture
def world():
    """A practitioner in network A; a fellow member of A, a coordinator of A, a member of another network B,
    a stranger, a superuser."""
    network_a = NetworkFactory(slug="net-a")
    network_b = NetworkFactory(slug="net-b")
    practitioner = MembershipFactory(network=network_a).user
    profile = PractitionerProfileFactory(user=practitioner)
    return {
        "profile": profile,
        "owner": practitioner,
        "fellow": MembershipFactory(network=network_a).user,
        "coordinator": RoleFactory(organisation=network_a, kind="coordinator").user,
        "other_network": MembershipFactory(network=network_b).user,
        "other_coordinator": RoleFactory(organisation=network_b, kind="coordinator").user,
        "stranger": UserFactory(),
        "superuser": UserFactory(is_superuser=True),
    }


EXPECTED = {
    "owner": Visibility.HIDDEN,
    "fellow": Visibility.MEMBERS,
    "coordinator": Visibility.COORDINATORS,
    "other_network": Visibility.PUBLIC,
    "other_coordinator": Visibility.PUBLIC,
    "stranger": Visibility.PUBLIC,
    "superuser": Visibility.COORDINATORS,
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_clearance_in_python_and_sql_agree(world, who):
    viewer = world[who]
    profile = world["profile"]
    assert clearance_for(viewer, profile) == EXPECTED[who]
    annotated = PractitionerProfile.objects.with_clearance(viewer).get(pk=profile.pk)
    assert annotated.clearance == EXPECTED[who]


def test_anonymous_clearance_is_public(world):
    from django.contrib.auth.models import AnonymousUser

    assert clearance_for(AnonymousUser(), world["profile"]) == Visibility.PUBLIC
    assert PractitionerProfile.objects.with_clearance(AnonymousUser()).get().clearance == Visibility.PUBLIC


def test_visible_profile_reads_hidden_groups_as_empty(world):
    profile = world["profile"]
    profile.bio = "My bio"
    profile.bio_visibility = Visibility.COORDINATORS
    profile.languages = ["pl"]
    profile.languages_visibility = Visibility.MEMBERS
    profile.available_as_mentor = True
    profile.availability_visibility = Visibility.HIDDEN
    assert VisibleProfile(profile, Visibility.PUBLIC).bio == ""
    assert VisibleProfile(profile, Visibility.PUBLIC).languages == []
    assert VisibleProfile(profile, Visibility.MEMBERS).languages == ["pl"]
    assert VisibleProfile(profile, Visibility.MEMBERS).bio == ""
    assert VisibleProfile(profile, Visibility.COORDINATORS).bio == "My bio"
    assert VisibleProfile(profile, Visibility.COORDINATORS).availability == []
    assert VisibleProfile(profile, Visibility.HIDDEN).availability == ["mentor"]


def test_only_the_owner_changes_a_profile(world):
    assert world["owner"].has_perm("network.change_practitioner", world["profile"])
    # (Django grants a superuser every permission; save_profile only ever edits the actor's own profile.)
    for who in ("fellow", "coordinator", "stranger"):
        assert not world[who].has_perm("network.change_practitioner", world["profile"])


def test_unpublished_profiles_are_seen_by_their_owner_only(world):
    profile = world["profile"]
    profile.is_published = False
    profile.save()
    assert world["owner"].has_perm("network.view_practitioner", profile)
    assert not world["coordinator"].has_perm("network.view_practitioner", profile)
    assert set(PractitionerProfile.objects.visible_to(world["fellow"])) == set()
    assert set(PractitionerProfile.objects.visible_to(world["owner"])) == {profile}


def test_the_profile_form_creates_and_edits_a_profile(client):
    from django.urls import reverse

    person = UserFactory(display_name="Jan Novák")
    client.force_login(person)
    url = reverse("network:profile_edit")
    page = client.get(url)
    assert page.status_code == 200 and "Jan Novák" in page.content.decode()
    data = {
        "is_published": "on",
        "name": "Jan Novák",
        "organisation_name": "Agora",
        "role": "facilitator",
        "region": "Jihomoravský kraj",
        "country": "CZ",
        "languages": ["cs", "en"],
        "methods": [Method.objects.get(slug="citizens_panel").pk],
        "topics": [Topic.objects.get(slug="climate").pk],
        "bio": "Panels and workshops.",
        "years_of_experience": "12",
        "processes_text": "Climate panel Brno | https://example.org/panel",
        "available_as_mentor": "on",
        "accepts_messages": "on",
        **{f"{group}_visibility": str(Visibility.PUBLIC) for group in GROUPS},
    }
    response = client.post(url, data)
    assert response.status_code == 302
    profile = PractitionerProfile.objects.get(user=person)
    assert profile.processes == [{"title": "Climate panel Brno", "url": "https://example.org/panel"}]
    assert list(profile.methods.values_list("slug", flat=True)) == ["citizens_panel"]
    assert profile.languages == ["cs", "en"]
    detail = client.get(profile.get_absolute_url()).content.decode()
    assert "Climate panel Brno" in detail and "Citizens" in detail
    data["processes_text"] = "Bad | //evil.example"
    response = client.post(url, data)
    assert response.status_code == 200 and "Line 1" in response.content.decode()
