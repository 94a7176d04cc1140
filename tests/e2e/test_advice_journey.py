"""A municipality asks its network for advice, a network coordinator assigns an expert, the expert answers in the
thread (with a file), closes the request with a summary, and the municipality rates the advice — in Chromium.

The test makes its own cast (veche/advice/tests/factories.py): a regional network, a member municipality whose
participation coordinator asks, the network's coordinator, and two practitioners who offer advice. Staff sign in
with a password and a computed two-factor code, as they must. The journey runs in English on a phone (360 px); every
page on the way is also audited in Czech, Polish and English at phone and desktop widths, as the person who sees it
(one h1, no sideways scrolling, axe-core clean, no console errors or CSP violations).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import LANGUAGES, check_page, submit_form
from tests.e2e.journeys import DESKTOP, HEIGHT, PHONE, SECRET, Journey

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(site: Any) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP

    from veche.advice.tests.factories import make_cast

    cast = make_cast()
    for person in (cast.requester, cast.coordinator):
        TOTP.activate(person, SECRET)
    return cast


def test_a_municipality_gets_advice_from_an_expert(new_page, cast, tmp_path) -> None:
    from veche.advice.models import AdviceRequest

    journey = Journey("the advice journey")

    # The municipality's participation coordinator asks, from the network's home page.
    requester = journey.sign_in(new_page(width=PHONE), cast.requester.email, two_factor=True)
    requester.goto(f"/en/networks/{cast.network.slug}/")
    journey.audit(requester, "network home as a member")
    with requester.expect_navigation():
        requester.locator("main").get_by_role("link", name="Ask for advice").click()
    journey.audit(requester, "the request form")
    requester.get_by_label(cast.municipality.name).check()
    requester.get_by_label("What do you need help with?").select_option("evaluating")
    requester.get_by_label("Method").select_option("consultation")
    requester.get_by_label("Language of the advice").select_option("cs")
    submit_form(
        requester,
        "main form",
        {
            "title": "Evaluating the consultation on the square",
            "description": "We consulted residents on the new square and want to evaluate how it went.",
        },
    )
    advice = AdviceRequest.objects.get()
    assert urlsplit(requester.url).path == f"/en/advice/requests/{advice.pk}/"
    assert "Your request was sent" in requester.locator("#messages").inner_text()
    journey.audit(requester, "the request, waiting")

    # The network's coordinator finds it in the queue and assigns the best-matching expert.
    coordinator = journey.sign_in(new_page(width=PHONE), cast.coordinator.email, two_factor=True)
    coordinator.goto(f"/en/advice/{cast.network.slug}/queue/")
    journey.audit(coordinator, "the queue")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="Evaluating the consultation on the square").click()
    journey.audit(coordinator, "the request as a coordinator")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="Assign an expert").click()
    journey.audit(coordinator, "expert suggestions")
    first = coordinator.locator("input[name=expert]").first
    assert first.get_attribute("value") == str(cast.expert.pk), "the Czech expert in the region should come first"
    first.check()
    coordinator.get_by_label("Note for the expert").fill("You evaluated the Brno consultations.")
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Assign").click()
    assert f"{cast.expert.public_name} is now the expert" in coordinator.locator("#messages").inner_text()
    advice.refresh_from_db()
    assert advice.status == "assigned" and advice.expert == cast.expert

    # The expert hears about it, answers in the thread with a file, and later closes with a summary.
    expert = journey.sign_in(new_page(width=PHONE), cast.expert.email, two_factor=False)
    expert.goto("/en/notifications/")
    with expert.expect_navigation():
        expert.get_by_role("link", name=re.compile("You were asked to advise")).first.click()
    assert urlsplit(expert.url).path == f"/en/advice/requests/{advice.pk}/"
    journey.audit(expert, "the request as the expert")
    checklist = tmp_path / "evaluation-checklist.txt"
    checklist.write_text("1. Who took part?\n2. What changed?\n", encoding="utf-8")
    expert.get_by_label("Your message").fill("Start with who took part.\n\nThe checklist is attached.")
    expert.get_by_label("Attach files").set_input_files(str(checklist))
    with expert.expect_navigation():
        expert.get_by_role("button", name="Send the message").click()
    thread = expert.locator("main ol").inner_text()
    assert "Start with who took part." in thread and "evaluation-checklist.txt" in thread
    advice.refresh_from_db()
    assert advice.status == "in_progress"
    journey.audit(expert, "the thread after answering")

    # The requester reads the answer and downloads the file.
    requester.goto(f"/en/advice/requests/{advice.pk}/")
    assert "The checklist is attached." in requester.locator("main").inner_text()
    with requester.expect_download() as download:
        requester.get_by_role("link", name="evaluation-checklist.txt").click()
    assert download.value.suggested_filename == "evaluation-checklist.txt"
    submit_form(requester, "main form:has(textarea[name=body])", {"body": "Thank you, that is what we needed."})

    expert.goto(f"/en/advice/requests/{advice.pk}/")
    with expert.expect_navigation():
        expert.get_by_role("link", name="Close with a summary").click()
    journey.audit(expert, "closing")
    submit_form(expert, "main form", {"summary": "Evaluate who took part and what changed, with the checklist."})
    advice.refresh_from_db()
    assert advice.status == "closed"

    # The requester rates the advice.
    requester.goto(f"/en/advice/requests/{advice.pk}/")
    assert "Evaluate who took part" in requester.locator("main").inner_text()
    with requester.expect_navigation():
        requester.locator("main").get_by_role("link", name="Rate the advice").first.click()
    journey.audit(requester, "rating")
    requester.get_by_label("5 — exactly what we needed").check()
    submit_form(requester, "main form", {"comment": "Quick and practical."})
    assert "5 of 5" in requester.locator("main").inner_text()
    journey.audit(requester, "the closed request")
    advice.refresh_from_db()
    assert (advice.rating, advice.rating_comment) == (5, "Quick and practical.")

    requester.goto("/en/advice/")
    journey.audit(requester, "my requests")
    journey.assert_clean()


def test_the_other_advice_pages_pass_the_audit(new_page, cast) -> None:
    """Pages the journey does not reach: declining, hiding a message, the queue when a filter finds nothing, the
    page a non-member gets, and the request pages on a closed-and-rated and a declined request."""
    from veche.advice.choices import AdviceStatus
    from veche.advice.tests.factories import AdviceMessageFactory

    working = cast.request(AdviceStatus.IN_PROGRESS)
    message = AdviceMessageFactory(request=working, author=cast.expert, body="Buy my book")
    rated = cast.request(AdviceStatus.CLOSED, rating=4, rating_comment="Useful", summary_html="<p>Two walks.</p>")
    declined = cast.request(AdviceStatus.DECLINED, decline_reason="A legal question.")
    waiting = cast.request()
    journey = Journey("the advice journey")
    coordinator = journey.sign_in(new_page(width=PHONE), cast.coordinator.email, two_factor=True)
    for path in (
        f"/en/advice/requests/{waiting.pk}/decline/",
        f"/en/advice/messages/{message.pk}/hide/",
        f"/en/advice/{cast.network.slug}/queue/?language=de",
        f"/en/advice/requests/{rated.pk}/",
        f"/en/advice/requests/{declined.pk}/",
    ):
        coordinator.goto(path)
        journey.audit(coordinator, path)
    outsider = journey.sign_in(new_page(width=PHONE), cast.resident.email, two_factor=False)
    outsider.console_watch.allow("status of 403")
    outsider.goto(f"/en/advice/{cast.network.slug}/ask/")
    assert "Advice is for members" in outsider.locator("h1").inner_text()
    for language in LANGUAGES:
        for width in (PHONE, DESKTOP):
            outsider.set_viewport_size({"width": width, "height": HEIGHT})
            outsider.goto(f"/{language}/advice/{cast.network.slug}/ask/")
            found = check_page(outsider, language=language, width=width)
            if found:
                journey.problems.append(f"not a member ({language}, {width} px):\n  " + "\n  ".join(found))
    outsider.goto("/en/advice/")
    journey.audit(outsider, "my requests, empty")
    journey.assert_clean()
