"""A resident takes part in an open consultation on a phone (360 × 740), in Chromium.

Signed in through the login page (the consultation takes part from signed-in residents, its default mode), the
resident reads the consultation page and its document, opens a paragraph, comments on it (a double click on
"Publish" stores the comment once), proposes a new wording and sees it as a diff with the insertions and deletions
marked, supports a neighbour's comment and replies to it, then answers the short survey. The consultation page
afterwards counts the comments and says the survey is answered. The consultation, document and paragraph pages are
audited in Czech, Polish and English, the pages on the way in English (one h1, no sideways scrolling, axe-core clean,
no console errors or CSP violations).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import submit_form
from tests.e2e.journeys import Journey

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHONE, HEIGHT = 360, 740
LANGUAGES = ("cs", "pl", "en")
CURRENT = "Benches will stand along the main path every fifty metres."
PROPOSED = "Benches with backrests will stand along the main path every twenty metres."

# Send the form's data twice from the page (its cookies, CSRF and idempotency tokens), as a double click would when
# both clicks reach the server; returns the final statuses after the redirects. In parallel on PostgreSQL; one after
# the other on SQLite, whose test database cannot take two writers at once (the race itself is a PostgreSQL test).
SEND_TWICE = """async ([selector, parallel]) => {
    const form = document.querySelector(selector);
    const send = () => fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"});
    const answers = parallel ? await Promise.all([send(), send()]) : [await send(), await send()];
    return answers.map((answer) => answer.status);
}"""


@pytest.fixture
def cast(site: Any) -> Any:
    from veche.consultations.models.surveys import QuestionKind
    from veche.consultations.tests.factories import consultation_in, contribution, document_for, participant
    from veche.consultations.tests.surveys_factories import make_survey
    from veche.core.testing.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(slug="riverside", name="Riverside")
    consultation = consultation_in(organisation, slug="new-park", subject="A new park by the river")
    document = document_for(consultation, sections=2, paragraphs=2)
    paragraph = document.paragraphs.get(number=1)
    paragraph.text = f"<p>{CURRENT}</p>"
    paragraph.save(update_fields=["text"])
    survey = make_survey(consultation, kinds=[QuestionKind.SINGLE, QuestionKind.SHORT_TEXT], required=False)
    resident = UserFactory(email="resident@example.org", display_name="Resident Rita")
    neighbour = participant(consultation, user=UserFactory(email="neighbour@example.org"), display_name="Neighbour")
    theirs = contribution(consultation, paragraph=paragraph, participant=neighbour, text="Please keep the old limes.")
    return type(
        "Cast",
        (),
        {
            "consultation": consultation,
            "document": document,
            "paragraph": paragraph,
            "survey": survey,
            "resident": resident,
            "theirs": theirs,
        },
    )


def test_resident_comments_proposes_a_wording_replies_supports_and_answers_the_survey(new_page, cast) -> None:
    from django.db import connection

    from veche.consultations.choices import ContributionKind
    from veche.consultations.models import Contribution, Participant, Support, SurveyResponse

    consultation, document, paragraph = cast.consultation, cast.document, cast.paragraph
    base = f"/consultations/{consultation.organisation.slug}/{consultation.slug}/"
    document_path = f"{base}documents/{document.pk}/"
    paragraph_path = f"{document_path}{paragraph.number}/"
    journey = Journey("the journey")
    page = new_page(language="en", width=PHONE)
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})

    page.goto("/en/accounts/login/")
    journey.check(page, "sign-in")
    submit_form(page, "form:has(input[name=password])", {"login": cast.resident.email, "password": PASSWORD})
    assert "/accounts/login/" not in page.url, f"sign-in failed; still on {page.url}"

    for language in LANGUAGES:
        for label, path in (("consultation", base), ("document", document_path), ("paragraph", paragraph_path)):
            page.goto(f"/{language}{path}")
            journey.check(page, f"the {label} page in {language}", language=language)

    # Read the consultation and its document, open the first paragraph.
    page.goto(f"/en{base}")
    assert page.get_by_role("heading", name="A new park by the river", level=1).is_visible()
    page.get_by_role("link", name="Draft plan").click()
    page.wait_for_url(f"**{document_path}")
    assert page.locator("#paragraph-1").get_by_text(CURRENT).is_visible()
    page.get_by_role("link", name="Comment on § 1").click()
    page.wait_for_url(f"**{paragraph_path}")
    assert "Please keep the old limes." in page.locator(f"#contribution-{cast.theirs.pk}").inner_text()

    # A comment; "Publish" clicked twice in a row stores it once (Chromium sends the form once; the reply below
    # reaches the server twice).
    form = page.locator("#comment-form")
    form.get_by_role("textbox", name="Your comment (required)").fill("More shade near the playground, please.")
    with page.expect_navigation():
        form.get_by_role("button", name="Publish").dblclick()
    page.wait_for_load_state()
    assert "your comment is published" in page.content()
    assert "was not added again" not in page.content()  # the same form sent twice is not a duplicate to explain
    comments = Contribution.objects.filter(consultation=consultation, text="More shade near the playground, please.")
    assert comments.count() == 1
    comment = comments.get()
    assert comment.kind == ContributionKind.COMMENT and comment.participant.user == cast.resident
    journey.check(page, "the paragraph after commenting")

    # A new wording, shown as a word diff against the current text.
    form = page.locator("#comment-form")
    form.locator("summary").filter(has_text="Propose a new wording").click()
    form.get_by_label("Your wording of this paragraph").fill(PROPOSED)
    form.get_by_role("textbox", name="Your comment (required)").fill("Older people need somewhere to rest more often.")
    with page.expect_navigation():
        form.get_by_role("button", name="Publish").click()
    assert "your proposed wording is published" in page.content()
    wording = Contribution.objects.get(consultation=consultation, kind=ContributionKind.WORDING)
    assert wording.proposed_text == PROPOSED
    diff = page.locator(f"#contribution-{wording.pk} .diff")
    assert diff.is_visible()
    inserted = " ".join(diff.locator("ins").all_inner_texts())
    deleted = " ".join(diff.locator("del").all_inner_texts())
    assert "backrests" in inserted and "twenty" in inserted, inserted
    assert "fifty" in deleted and "backrests" not in deleted, deleted
    assert "[added:" in diff.locator("ins").first.text_content()  # said to screen readers too
    journey.check(page, "the paragraph with a proposed wording")

    # Support the neighbour's comment, then reply to it.
    thread = page.locator(f"#contribution-{cast.theirs.pk}")
    with page.expect_navigation():
        thread.get_by_role("button", name="Support").click()
    assert "You support this." in page.content()
    thread = page.locator(f"#contribution-{cast.theirs.pk}")
    assert thread.get_by_role("button", name="Supported").get_attribute("aria-pressed") == "true"
    assert "1 supports this" in thread.inner_text()
    thread.locator("summary").filter(has_text="Reply").click()
    thread.get_by_role("textbox", name="Your reply (required)").fill("Yes, the limes give the best shade.")
    # The reply form sent twice at once (a double click that reached the server twice, or two tabs): one reply.
    parallel = connection.vendor == "postgresql"
    statuses = page.evaluate(SEND_TWICE, [f"#contribution-{cast.theirs.pk} form[action$='/reply/']", parallel])
    assert statuses == [200, 200], statuses
    page.goto(f"/en{paragraph_path}")  # (the fetches' redirects showed the "published" messages)
    reply = Contribution.objects.get(consultation=consultation, kind=ContributionKind.REPLY)
    assert reply.parent_id == cast.theirs.pk
    assert page.locator(f"#contribution-{reply.pk}").get_by_text("Yes, the limes give the best shade.").is_visible()
    journey.check(page, "the paragraph after replying")
    person = Participant.objects.get(consultation=consultation, user=cast.resident)
    assert Support.objects.filter(contribution=cast.theirs, participant=person).count() == 1

    # The short survey, from the consultation page.
    page.goto(f"/en{base}")
    page.get_by_role("link", name="Answer the survey").click()
    page.wait_for_url(f"**{base}survey/")
    journey.check(page, "the survey")
    single, short = cast.survey.questions.order_by("weight")
    page.get_by_role("radio", name="Playground").check()
    page.locator(f"[name=q{short.pk}]").fill("Drinking water")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="You have answered this survey").is_visible()
    journey.check(page, "the survey answered")

    # The consultation page reflects all of it.
    page.goto(f"/en{base}")
    assert "You answered the survey on" in page.content()
    documents = page.locator(".document-list")
    # The neighbour's comment, the resident's comment and wording (replies are not counted there).
    assert "3 comments" in documents.inner_text(), documents.inner_text()
    page.get_by_role("link", name="Draft plan").click()
    page.wait_for_url(f"**{document_path}")
    counts = page.locator("#paragraph-1 .paragraph__comments").inner_text()
    assert "2 comments" in counts and "1 proposed wording" in counts and "1 reply" in counts, counts
    journey.check(page, "the document afterwards")
    journey.assert_clean()

    answers = SurveyResponse.objects.get(survey=cast.survey, participant=person).answers.all()
    assert {answer.question_id for answer in answers} == {single.pk, short.pk}
    assert Contribution.objects.filter(consultation=consultation, participant=person).count() == 4
