"""The coordinator of a closed consultation answers every contribution and publishes the report — in Chromium.

Signed in with a password and a computed two-factor code, the coordinator answers two contributions one at a time
(outcome and justification, "Save and go to the next"), puts three into a new theme from the work queue and answers
the theme once, answers the last two together with the queue's bulk action, and watches the progress grow. On the
report's page they describe the decision and publish: the build runs as a task (the tests' immediate backend runs it
on commit; a build a worker is still running shows its progress). The published report's page lists every
justification, its PDF opens with pypdf and holds them, and the CSV downloads. Participants with an account are
notified in their own language, the anonymous participant with a verified address gets an email. The work queue and
the report page are audited in Czech, Polish and English at phone width (one h1, no sideways scrolling, axe-core
clean, no console errors or CSP violations), the other pages on the way in English.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import submit_form
from tests.e2e.journeys import Journey
from tests.e2e.totp import fresh_totp

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHONE, HEIGHT = 360, 740
LANGUAGES = ("cs", "pl", "en")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — test-only authenticator secret
ONE = "We plant forty trees along the river in the spring."
TWO = "The benches get backrests; twenty metres apart is too dense for the path."
THEME = "Shade matters to many of you: the lime trees stay and new ones are planted."
BULK = "The crossing and the lighting are decided by the transport department, not in this plan."
DECISION = "The park is built in 2027 with more trees, benches with backrests and the old limes kept."


@pytest.fixture
def cast(site: Any) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from veche.consultations.choices import Channel, ContributionKind, ContributionStatus
    from veche.consultations.tests.factories import consultation_in, contribution, document_for, participant
    from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory

    organisation = OrganisationFactory(slug="riverside", name="Riverside")
    consultation = consultation_in(organisation, phase="analysis", slug="new-park", subject="A new park by the river")
    paragraph = document_for(consultation, sections=1, paragraphs=2).paragraphs.get(number=1)
    coordinator = RoleFactory(
        organisation=organisation, kind="coordinator", user=UserFactory(email="coordinator@example.org")
    ).user
    TOTP.activate(coordinator, SECRET)
    people = [
        participant(consultation, user=UserFactory(email=f"resident{index}@example.org", language=language))
        for index, language in enumerate(["en", "pl", "cs", "en"])
    ]
    anonymous = participant(consultation, email="anna@example.org", email_verified_at=timezone.now())
    items = [
        contribution(consultation, paragraph=paragraph, participant=people[0], text="More trees, please."),
        contribution(
            consultation,
            kind=ContributionKind.WORDING,
            paragraph=paragraph,
            participant=people[1],
            text="Benches more often.",
            proposed_text="Benches every twenty metres.",
        ),
        contribution(consultation, paragraph=paragraph, participant=people[2], text="Keep the old limes."),
        contribution(consultation, paragraph=paragraph, participant=people[3], text="We need shade in summer."),
        contribution(consultation, paragraph=paragraph, participant=anonymous, text="Shade over the playground."),
        contribution(consultation, kind=ContributionKind.OFFLINE, channel=Channel.MEETING, text="A safe crossing."),
        contribution(consultation, kind=ContributionKind.OFFLINE, channel=Channel.PAPER, text="Lights on the path."),
    ]
    contribution(
        consultation,
        paragraph=paragraph,
        participant=people[3],
        status=ContributionStatus.HIDDEN,
        moderation_reason="Insults another participant.",
        text="HIDDEN insult",
    )
    return type(
        "Cast",
        (),
        {
            "consultation": consultation,
            "coordinator": coordinator,
            "people": people,
            "items": items,
        },
    )


def progress(page: Any) -> str:
    return page.locator("#response-progress-label").inner_text()


def answer(page: Any, outcome: str, justification: str) -> None:
    page.get_by_role("radio", name=outcome, exact=True).check()
    page.locator("[name=justification]").fill(justification)


def test_coordinator_answers_everything_and_publishes_the_report(new_page, cast) -> None:
    from django.core import mail
    from pypdf import PdfReader

    from veche.consultations.models import OfficialResponse, ReportBuild, ReportState, Theme
    from veche.notifications.models import Notification

    consultation, items = cast.consultation, cast.items
    base = f"/consultations/{consultation.organisation.slug}/{consultation.slug}/"
    journey = Journey("the journey")
    page = new_page(language="en", width=PHONE)
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})

    page.goto("/en/accounts/login/")
    submit_form(page, "form:has(input[name=password])", {"login": cast.coordinator.email, "password": PASSWORD})
    assert "/accounts/2fa/authenticate/" in page.url, page.url
    submit_form(page, "form:has(input[name=code])", {"code": fresh_totp(SECRET, not_=set())})
    assert "/accounts/" not in page.url, f"sign-in failed; still on {page.url}"

    for language in LANGUAGES:
        page.goto(f"/{language}{base}responses/")
        journey.check(page, f"the work queue in {language}", language=language)
    page.goto(f"/en{base}responses/")
    assert progress(page) == "0 of 7 answered"

    # One at a time: the first contribution, then straight on to the next one waiting.
    page.locator(f"tr:has(#select-{items[0].pk})").get_by_role("link", name="Answer").click()
    page.wait_for_url(f"**{base}responses/{items[0].pk}/")
    journey.check(page, "one contribution's response")
    answer(page, "Accepted", ONE)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go to the next").click()
    assert urlsplit(page.url).path.endswith(f"{base}responses/{items[1].pk}/"), page.url
    assert "The response was saved." in page.content()
    assert "Benches every twenty metres." in page.content()
    answer(page, "Partly accepted", TWO)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go to the next").click()
    page.get_by_role("link", name="Back to all contributions").click()
    page.wait_for_url(f"**{base}responses/")
    assert progress(page) == "2 of 7 answered"

    # Several at once: three into a new theme, answered once on the theme's page.
    for item in items[2:5]:
        page.check(f"#select-{item.pk}")
    page.get_by_role("radio", name="Put the selected contributions into a theme").check()
    page.locator("[name=new_theme]").fill("Trees and shade")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply to the selected contributions").click()
    assert "3 contributions put into “Trees and shade”." in page.content()
    assert progress(page) == "2 of 7 answered"
    page.get_by_role("link", name="Trees and shade").first.click()
    page.wait_for_url(f"**{base}themes/*/")
    journey.check(page, "the theme")
    answer(page, "Accepted", THEME)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the theme's response").click()
    assert "it answers every contribution in it" in page.content()
    page.get_by_role("link", name="Back to all contributions").click()
    page.wait_for_url(f"**{base}responses/")
    assert progress(page) == "5 of 7 answered"

    # The last two with the bulk answer, found with the "not answered yet" filter.
    page.select_option("[name=state]", "unanswered")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.locator("input[name=contributions]").count() == 2
    journey.check(page, "the work queue, filtered")
    for item in items[5:]:
        page.check(f"#select-{item.pk}")
    page.get_by_role("radio", name="Answer the selected contributions").check()
    page.select_option("select[name=outcome]", "out_of_scope")
    page.locator("[name=justification]").fill(BULK)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply to the selected contributions").click()
    assert "2 contributions answered." in page.content()
    assert progress(page) == "7 of 7 answered"
    own = OfficialResponse.objects.filter(contribution__isnull=False, contribution__consultation=consultation)
    assert sorted(own.values_list("contribution_id", flat=True)) == sorted(item.pk for item in items[:2] + items[5:])
    assert Theme.objects.get(consultation=consultation).response.justification == THEME

    # The report: a build a worker is still running shows its progress (and the page refreshes itself).
    page.get_by_role("link", name="Prepare the report").click()
    page.wait_for_url(f"**{base}report/manage/")
    journey.check(page, "prepare the report")
    running = ReportBuild.objects.create(
        consultation=consultation, state=ReportState.RUNNING, done=420, total=1000, requested_by=cast.coordinator
    )
    page.reload()
    assert page.locator("progress[aria-labelledby=build-progress-label]").get_attribute("value") == "42"
    assert "Built 42 %" in page.locator("#build-progress-label").inner_text()
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    ReportBuild.objects.filter(pk=running.pk).update(state=ReportState.FAILED, error="The worker stopped.")

    page.goto(f"/en{base}report/manage/")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.locator("[name=outcome]").fill(DECISION)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the decision text").click()
    assert "The decision text was saved." in page.content()
    mail.outbox.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the report").click()
    assert "will be published when it is ready" in page.content()
    build = ReportBuild.objects.filter(consultation=consultation).latest()
    assert build.state == ReportState.DONE and build.publish, build.error
    page.reload()
    assert "The report was published on" in page.content()
    journey.check(page, "the report published")

    page.get_by_role("link", name="Read the report").first.click()
    page.wait_for_url(f"**{base}report/")
    report_text = page.locator("main").inner_text()
    for text in (ONE, TWO, THEME, BULK, DECISION, "Insults another participant."):
        assert text in report_text, text
    assert "HIDDEN insult" not in report_text
    for language in LANGUAGES:
        page.goto(f"/{language}{base}report/")
        journey.check(page, f"the report in {language}", language=language)

    page.goto(f"/en{base}report/")
    pdf_url = page.get_by_role("link", name="Report (PDF)").get_attribute("href")
    answer_pdf = page.request.get(pdf_url)
    assert answer_pdf.ok and answer_pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer_pdf.body()))
    pdf_text = " ".join(" ".join((pdf_page.extract_text() or "").split()) for pdf_page in reader.pages)
    for text in (ONE, TWO, THEME, BULK, DECISION):
        assert " ".join(text.split()) in pdf_text, text
    assert "HIDDEN insult" not in pdf_text

    with page.expect_download() as caught:
        page.get_by_role("link", name="All contributions (CSV)").click()
    download = caught.value
    assert download.suggested_filename == "new-park-contributions.csv"
    table = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    flat = "\n".join(",".join(row) for row in table)
    for text in (ONE, TWO, THEME, BULK):
        assert text in flat, text
    assert len(table) == 1 + 8 and "HIDDEN insult" not in flat
    journey.assert_clean()

    # Everyone who took part is told once: accounts in the app (each in their language) and by email, the
    # anonymous participant with a verified address by email.
    told = Notification.objects.filter(kind="consultations.report_published")
    assert sorted(told.values_list("recipient__email", flat=True)) == sorted(
        person.user.email for person in cast.people
    )
    polish = told.get(recipient=cast.people[1].user)
    assert polish.title == "Raport z konsultacji „A new park by the river” został opublikowany", polish.title
    assert polish.url == f"/pl{base}report/", polish.url  # published from an English page
    addresses = sorted(address for message in mail.outbox for address in message.to)
    assert addresses == sorted([*(person.user.email for person in cast.people), "anna@example.org"]), addresses
