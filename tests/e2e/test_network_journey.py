"""A practitioner joins a network, publishes a profile with one field hidden, and puts a case on the map — in Chromium.

A signed-in person who belongs to no network opens the network's home page, applies (motivation, region,
experience) and sees the application waiting; the network's coordinator (signed in with a password and a computed
two-factor code, in a second browser context) accepts it with a message. The practitioner, now a member, publishes
a profile whose organisation only they see; an anonymous visitor finds the profile in the directory and on its page,
but the organisation nowhere in the HTML, nor through the search. The member then writes a case for the map of
participation and submits it; an editor of the network approves it on a desktop; the case's marker is on the map.

The journey runs in English on a phone (360 px), checking every page on the way (one h1, no sideways scrolling,
axe-core clean, no console errors or CSP violations); the network home, the join form, the directory, the profile
page and the profile edit page are audited in Czech, Polish and English at phone and desktop widths. The case review
pages are covered in depth by test_map_of_participation.py, advice by test_advice_journey.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import (
    DESKTOP,
    PHONE,
    SECRET,
    Journey,
    open_the_case_on_the_map,
    publish_case,
    wait_for_markers,
    write_case,
)

pytestmark = pytest.mark.browser

HIDDEN_ORGANISATION = "Kolínská radnice pro participaci"
CASE_TITLE = "Pocket park on Husova street"
MESSAGE = "Welcome, Lenka! Tell us about Kolín at the next meeting."


@pytest.fixture
def cast(site: Any) -> Any:
    """A network with a coordinator and an administrator (the map's editor, both with two-factor sign-in), and a
    practitioner who belongs to no network yet."""
    from allauth.mfa.totp.internal.auth import TOTP

    from veche.core.demo import ensure_vocabulary
    from veche.core.testing.factories import NetworkFactory, RoleFactory, UserFactory

    ensure_vocabulary()  # a transactional test before this one emptied the seeded methods and topics
    network = NetworkFactory(
        slug="central-bohemia",
        name="Central Bohemian Participation Network",
        region="Středočeský kraj",
        description="Practitioners of participation in the towns and villages around Prague.",
    )
    coordinator = RoleFactory(organisation=network, kind="coordinator", user=UserFactory(email="coord@x.org")).user
    editor = RoleFactory(organisation=network, kind="administrator", user=UserFactory(email="editor@x.org")).user
    for person in (coordinator, editor):
        TOTP.activate(person, SECRET)
    practitioner = UserFactory(email="lenka@x.org", display_name="Lenka Horáková")
    return type("Cast", (), {"network": network, "coordinator": coordinator, "editor": editor, "me": practitioner})


def test_a_practitioner_joins_publishes_a_profile_and_puts_a_case_on_the_map(new_page, cast) -> None:
    from veche.cases.models import Case
    from veche.network.models import Membership, PractitionerProfile

    journey = Journey("the network journey")
    home = f"/en/networks/{cast.network.slug}/"

    # The practitioner opens the network's home page and applies.
    me = journey.sign_in(new_page(width=PHONE), cast.me.email)
    me.goto(home)
    journey.audit(me, "network home, not a member")
    with me.expect_navigation():
        me.locator("main").get_by_role("link", name="Join the network").click()
    assert urlsplit(me.url).path == f"/en/networks/{cast.network.slug}/join/"
    journey.audit(me, "the join form")
    me.get_by_label("Why do you want to join?").fill("To learn from other towns and share what Kolín tried.")
    me.get_by_label("Region where you work").fill("Středočeský kraj")
    me.get_by_label("Your experience with participation").fill("Two participatory budgets and a planning walk.")
    with me.expect_navigation():
        me.get_by_role("button", name="Send the application").click()
    membership = Membership.objects.get(network=cast.network, user=cast.me)
    assert urlsplit(me.url).path == membership.get_absolute_url()
    assert "Your application is sent" in me.locator("#messages").inner_text()
    expect(me.locator("main .badge").first).to_have_text("Applied")
    journey.check(me, "the application, waiting")
    me.goto(home)
    expect(me.locator("main").get_by_role("link", name="Your application")).to_be_visible()
    assert membership.state == "applied"

    # The coordinator finds it in the queue and accepts it with a message.
    coordinator = journey.sign_in(new_page(width=PHONE), cast.coordinator.email, two_factor=True)
    coordinator.goto(f"/en/networks/{cast.network.slug}/applications/")
    journey.check(coordinator, "the applications")
    with coordinator.expect_navigation():
        coordinator.locator("main").get_by_role("link", name="Lenka Horáková").first.click()
    assert urlsplit(coordinator.url).path == membership.get_absolute_url()
    journey.check(coordinator, "the application as a coordinator")
    coordinator.get_by_label("Accept").check()
    coordinator.get_by_label("Message to the applicant").fill(MESSAGE)
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Send the decision").click()
    assert "Accepted." in coordinator.locator("#messages").inner_text()
    membership.refresh_from_db()
    assert membership.state == "active" and membership.decided_by == cast.coordinator

    # The practitioner is a member now and reads the message.
    me.goto(membership.get_absolute_url())
    expect(me.locator("main .badge").first).to_have_text("Member")
    assert MESSAGE in me.locator("main").inner_text()
    journey.check(me, "the membership")
    me.goto(home)
    expect(me.locator("main").get_by_text("You are a member")).to_be_visible()
    journey.check(me, "network home as a member")
    me.goto("/en/networks/mine/")
    expect(me.locator("main table")).to_contain_text(cast.network.name)
    journey.check(me, "my networks")
    me.goto(f"/en/networks/{cast.network.slug}/members/")
    expect(me.locator("main")).to_contain_text("Lenka Horáková")
    journey.check(me, "the members")

    # They create a profile from the directory and publish it, with the organisation visible only to them.
    me.goto("/en/practitioners/")
    with me.expect_navigation():
        me.locator("main").get_by_role("link", name="Create your profile").first.click()
    assert urlsplit(me.url).path == "/en/practitioners/me/"
    journey.check(me, "the empty profile form")
    form = me.locator("main form")
    form.locator("[name=is_published]").check()
    expect(form.locator("[name=name]")).to_have_value("Lenka Horáková")
    form.locator("[name=organisation_name]").fill(HIDDEN_ORGANISATION)
    form.locator("[name=organisation_visibility]").select_option(label="Only me")
    form.locator("[name=role]").select_option("facilitator")
    form.locator("[name=region]").fill("Středočeský kraj")
    form.locator("[name=country]").select_option("CZ")
    form.get_by_label("Participatory planning workshops").check()
    form.locator("[name=bio]").fill("I facilitate planning walks and workshops with neighbours.")
    form.locator("[name=available_as_mentor]").check()
    with me.expect_navigation():
        form.get_by_role("button", name="Save the profile").click()
    profile = PractitionerProfile.objects.get(user=cast.me)
    assert profile.is_published and profile.organisation_visibility == 40
    assert urlsplit(me.url).path == profile.get_absolute_url()
    assert "listed in the practitioners' database" in me.locator("#messages").inner_text()
    assert HIDDEN_ORGANISATION in me.locator("main").inner_text(), "the owner sees every field of their profile"
    journey.check(me, "the profile as its owner")
    me.goto("/en/practitioners/me/")
    journey.audit(me, "the profile edit page")

    # An anonymous visitor finds the profile, but not the organisation: not on the page, not in its HTML.
    visitor = new_page(width=PHONE)
    visitor.goto("/en/practitioners/")
    card = visitor.locator("main .practitioner-card", has_text="Lenka Horáková")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Facilitator")
    assert HIDDEN_ORGANISATION not in visitor.content()
    journey.audit(visitor, "the directory")
    with visitor.expect_navigation():
        card.get_by_role("link", name="Lenka Horáková").click()
    assert urlsplit(visitor.url).path == profile.get_absolute_url()
    assert "planning walks" in visitor.locator("main").inner_text()
    assert HIDDEN_ORGANISATION not in visitor.content()
    journey.audit(visitor, "the profile page")
    visitor.goto("/en/practitioners/?q=Kol%C3%ADnsk%C3%A1+radnice")
    expect(visitor.locator("main .practitioner-card")).to_have_count(0)  # the search does not read hidden fields
    visitor.goto("/en/practitioners/?q=planning+walks")
    expect(visitor.locator("main .practitioner-card")).to_have_count(1)

    # The member presents a case on the map and submits it for review.
    me.goto("/en/map/")
    assert wait_for_markers(me) == 0
    journey.check(me, "the empty map")
    with me.expect_navigation():
        me.get_by_role("link", name="Present a case").click()
    journey.check(me, "the case form")
    write_case(me, title=CASE_TITLE, municipality="Kolín", latitude="50.0262", longitude="15.2001")
    case = Case.objects.get(title=CASE_TITLE)
    assert case.network == cast.network and case.author == cast.me
    assert urlsplit(me.url).path == f"/en/map/{case.pk}/"
    journey.check(me, "the draft case")
    with me.expect_navigation():
        me.get_by_role("button", name="Submit for review").click()
    expect(me.locator(".badge")).to_have_text("Waiting for review")
    journey.check(me, "the submitted case")
    me.goto("/en/map/mine/")
    expect(me.locator("main table")).to_contain_text(CASE_TITLE)
    journey.check(me, "my cases")

    # An editor of the network approves it on a desktop.
    editor = journey.sign_in(new_page(width=DESKTOP), cast.editor.email, two_factor=True)
    editor.goto("/en/map/review/")
    journey.check(editor, "the review queue")
    with editor.expect_navigation():
        editor.get_by_role("link", name=CASE_TITLE).click()
    assert urlsplit(editor.url).path == f"/en/map/{case.pk}/review/"
    journey.check(editor, "the review page")
    publish_case(editor)
    case.refresh_from_db()
    assert case.status == "published"

    # The case's marker is on the map, and its popup leads to the case.
    open_the_case_on_the_map(me, "/en/map/", CASE_TITLE)
    journey.check(me, "the map with the case")
    journey.assert_clean()
