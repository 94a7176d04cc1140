"""The survey step of a consultation, and staff recording offline input — in Chromium.

A resident on a phone (360 px) answers a survey with one question of every kind using the keyboard only: radio
buttons and checkboxes with Space, the scale with arrow keys, the ranking with the "Move up" buttons (Enter), the map
point by typing its coordinates, the demographic questions, and sends it; the consultation page then says the survey
is answered. The survey page is audited in Czech, Polish and English at phone width before answering, and the pages on
the way after (one h1, no sideways scrolling, axe-core clean, no console errors or CSP violations).

A moderator (signed in with a password and a computed two-factor code) records three paper forms at once and a
meeting note, and corrects one; the entries are listed with their channels.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import check_page, submit_form
from tests.e2e.totp import fresh_totp

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHONE, HEIGHT = 360, 740
LANGUAGES = ("cs", "pl", "en")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — test-only authenticator secret


@pytest.fixture
def cast(site: Any) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP

    from veche.consultations.tests.factories import consultation_in
    from veche.consultations.tests.surveys_factories import AREA, make_survey
    from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory

    organisation = OrganisationFactory(slug="riverside", name="Riverside")
    consultation = consultation_in(organisation, slug="new-park", subject="A new park by the river", area=AREA)
    survey = make_survey(consultation, required=False, ask_demographics=True, districts=["North", "South"])
    resident = UserFactory(email="resident@example.org")
    moderator = RoleFactory(organisation=organisation, kind="moderator", user=UserFactory(email="mod@example.org")).user
    TOTP.activate(moderator, SECRET)
    return type(
        "Cast", (), {"consultation": consultation, "survey": survey, "resident": resident, "moderator": moderator}
    )


class Journey:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.codes: set[str] = set()

    def audit(self, page: Any, step: str, *, language: str = "en") -> None:
        found = check_page(page, language=language, width=PHONE) + page.console_watch.take()
        if found:
            self.problems.append(f"{step} ({urlsplit(page.url).path}):\n  " + "\n  ".join(found))

    def sign_in(self, page: Any, email: str, *, two_factor: bool = False) -> None:
        page.goto("/en/accounts/login/")
        submit_form(page, "form:has(input[name=password])", {"login": email, "password": PASSWORD})
        if two_factor:
            code = fresh_totp(SECRET, not_=self.codes)
            submit_form(page, "form:has(input[name=code])", {"code": code})
            self.codes.add(code)
        assert "/accounts/login/" not in page.url, f"sign-in as {email} failed; still on {page.url}"

    def assert_clean(self) -> None:
        assert not self.problems, "pages failed the audit:\n\n" + "\n\n".join(self.problems)


def tab_to(page: Any, selector: str, *, limit: int = 250) -> None:
    """Press Tab until the element matching selector has the focus (keyboard only, in document order)."""
    for _ in range(limit):
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def phone_page(new_page: Any, language: str = "en") -> Any:
    page = new_page(language=language, width=PHONE)
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})
    return page


def test_resident_answers_every_kind_of_question_by_keyboard_on_a_phone(new_page, cast) -> None:
    from veche.consultations.models import Participant, SurveyAnswer, SurveyResponse
    from veche.consultations.models.surveys import QuestionKind

    survey, consultation = cast.survey, cast.consultation
    questions = {question.kind: question for question in survey.questions.prefetch_related("options")}
    journey = Journey()
    page = phone_page(new_page)
    journey.sign_in(page, cast.resident.email)
    path = f"/consultations/{consultation.organisation.slug}/{consultation.slug}/survey/"
    for language in LANGUAGES:
        page.goto(f"/{language}{path}")
        journey.audit(page, f"the survey in {language}", language=language)

    detail = f"/en/consultations/{consultation.organisation.slug}/{consultation.slug}/"
    page.goto(detail)
    journey.audit(page, "the consultation page")
    page.get_by_role("link", name="Answer the survey").click()
    page.wait_for_url(f"**{path}")

    single = questions[QuestionKind.SINGLE]
    tab_to(page, f"input[name=q{single.pk}]")
    page.keyboard.press("ArrowDown")  # a radio group: arrows move and choose → the second option
    multiple = questions[QuestionKind.MULTIPLE]
    first, second, _third = multiple.options.all()
    tab_to(page, f"input[name=q{multiple.pk}][value='{first.pk}']")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    scale = questions[QuestionKind.SCALE]
    tab_to(page, f"input[name=q{scale.pk}]")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # 1 → 4
    short = questions[QuestionKind.SHORT_TEXT]
    tab_to(page, f"[name=q{short.pk}]")
    page.keyboard.type("Shade")
    long = questions[QuestionKind.LONG_TEXT]
    tab_to(page, f"[name=q{long.pk}]")
    page.keyboard.type("More trees along the river, please.")

    ranking = questions[QuestionKind.RANKING]
    trees, playground, benches = ranking.options.all()
    # Benches to the top: two presses of its "Move up" button; focus stays on the button.
    tab_to(page, f"#question-{ranking.pk} li:has(select[name=q{ranking.pk}_o{benches.pk}]) [data-move=up]")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    status = page.locator(f"#question-{ranking.pk} [role=status]")
    assert "Benches is now number 1" in status.inner_text()
    order = page.locator(f"#question-{ranking.pk} .ranking__label").all_inner_texts()
    assert order == ["Benches", "Trees", "Playground"]

    point = questions[QuestionKind.MAP_POINT]
    tab_to(page, f"[name=q{point.pk}_lat]")
    page.keyboard.type("50.08")
    page.keyboard.press("Tab")
    page.keyboard.type("14.42")

    tab_to(page, "input[name=demo_age_band]")
    page.keyboard.press("ArrowDown")  # 18–29
    tab_to(page, "select[name=demo_district]")
    page.keyboard.press("ArrowDown")  # North
    journey.audit(page, "the survey filled in")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="You have answered this survey").is_visible()
    journey.audit(page, "answered")
    page.goto(detail)
    assert "You answered the survey on" in page.content()
    journey.assert_clean()

    response = SurveyResponse.objects.get(survey=survey)
    answers = {
        answer.question.kind: answer
        for answer in SurveyAnswer.objects.filter(response=response).select_related("question")
    }
    assert answers[QuestionKind.SINGLE].choices == [list(single.options.all())[1].pk]
    assert answers[QuestionKind.MULTIPLE].choices == [first.pk, second.pk]
    assert answers[QuestionKind.SCALE].number == 4
    assert answers[QuestionKind.RANKING].choices == [benches.pk, trees.pk, playground.pk]
    assert (answers[QuestionKind.MAP_POINT].latitude, answers[QuestionKind.MAP_POINT].longitude) == (50.08, 14.42)
    assert answers[QuestionKind.SHORT_TEXT].contribution.text == "Shade"
    person = Participant.objects.get(user=cast.resident)
    assert (person.age_band, person.district) == ("18_29", "North")


def test_ranking_works_without_javascript(new_page, cast) -> None:
    from veche.consultations.models import SurveyAnswer
    from veche.consultations.models.surveys import QuestionKind

    survey, consultation = cast.survey, cast.consultation
    ranking = survey.questions.prefetch_related("options").get(kind=QuestionKind.RANKING)
    trees, playground, benches = ranking.options.all()
    page = new_page(language="en", width=PHONE, javascript=False)
    Journey().sign_in(page, cast.resident.email)
    page.goto(f"/en/consultations/{consultation.organisation.slug}/{consultation.slug}/survey/")
    assert page.locator("[data-move]").count() == 0
    for option, rank in ((trees, "3"), (playground, "2"), (benches, "2")):
        page.select_option(f"select[name=q{ranking.pk}_o{option.pk}]", rank)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert "two options have the same number" in page.content()
    page.select_option(f"select[name=q{ranking.pk}_o{benches.pk}]", "1")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert SurveyAnswer.objects.get(question=ranking).choices == [benches.pk, playground.pk, trees.pk]


def test_moderator_records_a_stack_of_paper_forms(new_page, cast) -> None:
    from veche.consultations.models import Contribution

    consultation = cast.consultation
    journey = Journey()
    page = phone_page(new_page)
    journey.sign_in(page, cast.moderator.email, two_factor=True)
    base = f"/en/consultations/{consultation.organisation.slug}/{consultation.slug}/offline/"
    page.goto(base)
    journey.audit(page, "offline input, empty")
    page.get_by_role("link", name="a stack of paper forms").click()
    page.wait_for_url("**/offline/add/**")
    journey.audit(page, "record offline input")
    for index, text in enumerate(["Benches with backrests.", "A drinking fountain.", "Keep the old lime trees."]):
        page.fill(f"[name=entries-{index}-text]", text)
        page.fill(f"[name=entries-{index}-author_label]", f"Paper form {index + 1}")
    page.select_option("[name=entries-3-channel]", "meeting")
    page.fill("[name=entries-3-text]", "A safe crossing by the school (seniors' club).")
    with page.expect_navigation():
        page.get_by_role("button", name="Save contributions").click()
    assert "4 contributions are recorded." in page.content()
    journey.audit(page, "offline input, listed")
    assert sorted(Contribution.objects.filter(consultation=consultation).values_list("channel", flat=True)) == [
        "meeting",
        "paper",
        "paper",
        "paper",
    ]
    page.get_by_role("link", name="Edit").first.click()
    page.wait_for_url("**/offline/*/")
    journey.audit(page, "edit an entry")
    page.fill("[name=text]", "Benches with backrests and armrests.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert Contribution.objects.filter(text="Benches with backrests and armrests.").exists()
    journey.assert_clean()
