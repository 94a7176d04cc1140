"""Demo data of the survey part, through its services (so the audit log shows the steps):

* the OPEN consultation (Kolín, Czech): a published survey with one question of every kind and the demographic
  questions, about 60 answers from residents who verified an email address (results shown live), one paper form,
  and offline input from a seniors' club meeting, paper forms and an email;
* the CLOSED consultation (Gdynia, Polish): offline input from the public discussion and the paper forms, recorded by
  its moderator before the report.

Idempotent: a consultation that already has a survey (or offline input) is left alone.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from veche.consultations.choices import AgeBand, ContributionKind, Gender
from veche.consultations.models import Consultation, Contribution, Participant
from veche.consultations.models.surveys import QuestionKind, ResultsVisibility
from veche.consultations.services import offline, surveys
from veche.consultations.services.offline import OfflineEntry
from veche.consultations.services.surveys import Demographics, OptionInput, QuestionInput
from veche.core.demo import DemoContext

OPEN_SLUG = "park-u-reky"
CLOSED_SLUG = "plan-dzielnicy-orlowo"
RESPONSES = 60
DISTRICTS = ["Centrum", "Zálabí", "Štítary", "Kolín II", "Sendražice"]

QUESTIONS: list[tuple[str, QuestionInput]] = [
    (
        QuestionKind.SINGLE,
        QuestionInput(
            text="Jak často chodíte do parku u řeky?",
            required=True,
            options=[OptionInput(text) for text in ("Denně", "Jednou týdně", "Několikrát za měsíc", "Skoro vůbec")],
        ),
    ),
    (
        QuestionKind.MULTIPLE,
        QuestionInput(
            text="Co v parku nejčastěji děláte?",
            help_text="Vyberte vše, co platí.",
            options=[
                OptionInput(text)
                for text in (
                    "Procházky",
                    "Venčení psa",
                    "Sport",
                    "Hry s dětmi",
                    "Odpočinek na lavičce",
                    "Cesta do práce",
                )
            ],
        ),
    ),
    (
        QuestionKind.SCALE,
        QuestionInput(
            text="Jak jste s parkem dnes spokojeni?",
            required=True,
            scale_min=1,
            scale_max=5,
            scale_min_label="vůbec ne",
            scale_max_label="velmi",
        ),
    ),
    (
        QuestionKind.RANKING,
        QuestionInput(
            text="Seřaďte, co by se mělo udělat nejdřív.",
            options=[
                OptionInput(text)
                for text in ("Více stínu a stromů", "Nové dětské hřiště", "Osvětlení cest", "Veřejné záchody")
            ],
        ),
    ),
    (
        QuestionKind.MAP_POINT,
        QuestionInput(
            text="Kde v parku chybí lavička nebo stín?",
            help_text="Klepněte do mapy, nebo zadejte souřadnice. Otázka je nepovinná.",
        ),
    ),
    (QuestionKind.SHORT_TEXT, QuestionInput(text="Co vám v parku nejvíc chybí? (jedním slovem nebo větou)")),
    (QuestionKind.LONG_TEXT, QuestionInput(text="Chcete nám k parku napsat ještě něco?")),
]

SHORT_TEXTS = ["Stín", "Pitná voda", "Lavičky", "Záchody", "Koše", "Osvětlení", "Klid", "Místo pro psy"]
LONG_TEXTS = [
    "Večer je v parku tma a bojím se tam chodit. Prosím o osvětlení hlavní cesty podél řeky.",
    "Dětské hřiště je staré a v létě úplně na slunci. Stromy nebo plachta by hodně pomohly.",
    "Ocenila bych více laviček pro starší lidi, hlavně na cestě od nádraží.",
    "Cyklisté jezdí po chodnících rychle. Šlo by oddělit cyklostezku od pěší cesty?",
    "Chybí veřejné záchody, s malými dětmi je to problém.",
    "Park je krásný, jen ho víc udržujte – posekat trávu a vysypat koše častěji.",
]
# Inside the demo park's area (demo_setup.KOLIN_PARK): lat, lon.
POINTS = [(50.0330, 15.2010), (50.0335, 15.2050), (50.0322, 15.2090), (50.0340, 15.2030), (50.0318, 15.2070)]

OPEN_OFFLINE = [
    ("meeting", 3, "Setkání v klubu seniorů", "Lavičky s opěradlem a područkami, ať se z nich dá snadno vstát."),
    ("meeting", 3, "Setkání v klubu seniorů", "U vstupu od náměstí chybí přechod, auta tam jezdí rychle."),
    ("paper", 2, "Papírový formulář č. 1", "Prosím o pítko u dětského hřiště."),
    ("paper", 2, "Papírový formulář č. 2", "Nekácejte staré lípy u řeky."),
    ("paper", 1, "Papírový formulář č. 3", "Více košů na psí exkrementy."),
    ("email", 1, "E-mail od obyvatele Zálabí", "Navrhuji vyhrazený výběh pro psy v zadní části parku."),
]
CLOSED_OFFLINE = [
    ("meeting", 33, "Dyskusja publiczna, SP nr 9", "Nie zgadzamy się na zabudowę terenu przy klifie."),
    ("meeting", 33, "Dyskusja publiczna, SP nr 9", "Potrzebny jest parking dla mieszkańców przy ul. Orłowskiej."),
    ("meeting", 33, "Dyskusja publiczna, SP nr 9", "Prosimy o zachowanie szpaleru drzew wzdłuż Bulwaru."),
    ("paper", 20, "Formularz papierowy nr 1", "Wysokość nowych budynków nie powinna przekraczać czterech pięter."),
    ("paper", 18, "Formularz papierowy nr 2", "Więcej miejsc na rowery przy stacji SKM."),
]


def _survey(context: DemoContext, consultation: Consultation) -> Any:
    actor = context.people["coordinator"]
    survey = surveys.get_or_create_survey(actor=actor, consultation=consultation)
    survey.consultation = consultation
    for kind, data in QUESTIONS:
        surveys.add_question(actor=actor, survey=survey, kind=kind, data=data)
    return surveys.update_survey(
        actor=actor,
        survey=survey,
        title="Krátký dotazník o parku u řeky",
        intro="Sedm otázek, zabere to asi pět minut. Odpovědi nám pomohou upravit návrh parku.",
        is_published=True,
        ask_demographics=True,
        districts=DISTRICTS,
        results_visibility=ResultsVisibility.LIVE,
    )


def _values(rng: random.Random, questions: list[Any]) -> dict[int, Any]:
    values: dict[int, Any] = {}
    for question in questions:
        options = [option.pk for option in question.options.all()]
        if question.kind == QuestionKind.SINGLE:
            values[question.pk] = rng.choices(options, weights=[3, 5, 2, 1])[0]
        elif question.kind == QuestionKind.MULTIPLE:
            values[question.pk] = rng.sample(options, rng.randint(1, 3))
        elif question.kind == QuestionKind.SCALE:
            values[question.pk] = rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 5, 4, 2])[0]
        elif question.kind == QuestionKind.RANKING and rng.random() < 0.85:
            # Shade first for most people: a clear winner, as in real consultations.
            order = sorted(options, key=lambda option: rng.random() - (0.6 if option == options[0] else 0))
            values[question.pk] = {option: rank for rank, option in enumerate(order, start=1)}
        elif question.kind == QuestionKind.MAP_POINT and rng.random() < 0.5:
            lat, lon = rng.choice(POINTS)
            values[question.pk] = (lat + rng.uniform(-0.0004, 0.0004), lon + rng.uniform(-0.0008, 0.0008))
        elif question.kind == QuestionKind.SHORT_TEXT and rng.random() < 0.5:
            values[question.pk] = rng.choice(SHORT_TEXTS)
        elif question.kind == QuestionKind.LONG_TEXT and rng.random() < 0.2:
            values[question.pk] = rng.choice(LONG_TEXTS)
    return values


def _answers(consultation: Consultation, survey: Any) -> None:
    rng = random.Random(4)  # noqa: S311 — demo data, not security
    questions = surveys.questions_of(survey)
    now = timezone.now()
    ages = [
        AgeBand.UNDER_18,
        AgeBand.AGE_18_29,
        AgeBand.AGE_30_44,
        AgeBand.AGE_45_64,
        AgeBand.AGE_65_PLUS,
        AgeBand.UNDISCLOSED,
    ]
    genders = [Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.UNDISCLOSED]
    for number in range(1, RESPONSES + 1):
        person, _created = Participant.objects.get_or_create(
            consultation=consultation,
            email=f"respondent{number}@demo.veche.eu",
            defaults={"email_verified_at": now - timedelta(days=rng.randint(0, 4))},
        )
        surveys.submit_response(
            participant=person,
            survey=survey,
            values=_values(rng, questions),
            demographics=Demographics(
                age_band=rng.choices(ages, weights=[1, 4, 6, 5, 4, 1])[0],
                gender=rng.choices(genders, weights=[11, 9, 1, 1])[0],
                district=rng.choices(DISTRICTS + [""], weights=[8, 5, 3, 2, 1, 1])[0],
            ),
        )


def _offline(actor: Any, consultation: Consultation, rows: list[tuple[str, int, str, str]]) -> None:
    if Contribution.objects.filter(consultation=consultation, kind=ContributionKind.OFFLINE).exists():
        return
    today = timezone.localdate()
    offline.record_offline_contributions(
        actor=actor,
        consultation=consultation,
        entries=[
            OfflineEntry(channel=channel, received_on=today - timedelta(days=days), author_label=label, text=text)
            for channel, days, label, text in rows
        ],
    )


def load(context: DemoContext) -> None:
    found = Consultation.objects.with_timeline().filter(slug=OPEN_SLUG, organisation__slug="kolin").first()
    if found is not None and surveys.survey_for(found) is None:
        survey = _survey(context, found)
        survey.consultation = found
        _answers(found, survey)
        surveys.record_paper_response(
            actor=context.people["coordinator"],
            survey=survey,
            values=_values(random.Random(99), surveys.questions_of(survey)),  # noqa: S311
            received_on=timezone.localdate() - timedelta(days=2),
        )
        _offline(context.people["coordinator"], found, OPEN_OFFLINE)
        context.log.append(f"Survey: {found.get_absolute_url()}survey/ ({RESPONSES + 1} answers)")
    closed = Consultation.objects.with_timeline().filter(slug=CLOSED_SLUG, organisation__slug="gdynia").first()
    if closed is not None and closed.report_published_at is None:
        _offline(context.people["moderator"], closed, CLOSED_OFFLINE)
