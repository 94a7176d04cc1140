"""Demo data of the report part, on the CLOSED consultation of the set-up part's demo (Gdynia, "Plan miejscowy dla
Orłowa", in Polish): a short draft with comments, input from the public meeting and paper forms, survey text
answers, participants with demographics against the city's population figures, themes, an official response to
every contribution, the standards checklist, the published report (built synchronously) and a few evaluations.

Idempotent: nothing is added once the report is published. Runs through the services where they exist, as the
platform administrator (the demo has no coordinator in Gdynia)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from veche.consultations.choices import Channel, ContributionKind, ContributionStatus
from veche.consultations.demo_setup import CLOSED_SLUG
from veche.consultations.models import (
    Consultation,
    Contribution,
    Document,
    EvaluationAnswer,
    Paragraph,
    Participant,
    ResponseOutcome,
    Section,
)
from veche.consultations.population_csv import Figure
from veche.core.demo import DemoContext

A, P, N, X = (
    ResponseOutcome.ACCEPTED,
    ResponseOutcome.PARTLY,
    ResponseOutcome.NOT_ACCEPTED,
    ResponseOutcome.OUT_OF_SCOPE,
)

SECTIONS = [
    (
        "1",
        "Zieleń i przestrzeń publiczna",
        [
            "Park nadmorski i bulwar pozostają terenem zieleni publicznej bez nowej zabudowy.",
            "Wzdłuż ulicy Orłowskiej plan wyznacza szpaler drzew i szerokie chodniki.",
        ],
    ),
    (
        "2",
        "Zabudowa mieszkaniowa",
        [
            "Nowe budynki przy Alei Zwycięstwa mogą mieć do pięciu kondygnacji.",
            "W głębi dzielnicy dopuszcza się wyłącznie zabudowę jednorodzinną.",
        ],
    ),
    (
        "3",
        "Ruch i parkowanie",
        [
            "Plan przewiduje parking buforowy przy przystanku SKM Gdynia Orłowo.",
            "Ulica Przebendowskich zostaje ulicą o ruchu uspokojonym.",
        ],
    ),
]

# (paragraph index or None, kind, channel, text, theme or "", outcome, justification)
INPUT = [
    (0, "comment", "online", "Prosimy o zachowanie wszystkich starych drzew w parku.", "Zieleń", A, ""),
    (0, "comment", "online", "Park powinien mieć więcej ławek i toalety.", "Zieleń", A, ""),
    (1, "wording", "online", "Szpaler drzew także po wschodniej stronie ulicy.", "Zieleń", A, ""),
    (2, "comment", "online", "Pięć kondygnacji to za dużo, zasłoni widok na morze.", "Wysokość zabudowy", P, ""),
    (
        2,
        "comment",
        "online",
        "Zgadzam się z pięcioma kondygnacjami, potrzebujemy mieszkań.",
        "Wysokość zabudowy",
        P,
        "",
    ),
    (
        3,
        "comment",
        "online",
        "Czy dopuszczalne będą domy w zabudowie bliźniaczej?",
        "",
        A,
        "Tak: plan dopuszcza zabudowę bliźniaczą; doprecyzowaliśmy to w § 14.",
    ),
    (4, "comment", "online", "Parking przy SKM zwiększy ruch na Orłowskiej.", "Parkingi i ruch", N, ""),
    (5, "wording", "online", "Strefa Tempo 30 na całej ulicy Przebendowskich.", "Parkingi i ruch", N, ""),
    (
        None,
        "offline",
        "meeting",
        "Mieszkańcy ul. Folwarcznej proszą o przejście dla pieszych przy szkole.",
        "",
        A,
        "Przejście dla pieszych przy SP nr 9 wpisaliśmy do planu; wykona je Zarząd Dróg w 2026 r.",
    ),
    (
        None,
        "offline",
        "meeting",
        "Więcej miejsc parkingowych dla mieszkańców zamiast parkingu buforowego.",
        "Parkingi i ruch",
        N,
        "",
    ),
    (
        None,
        "offline",
        "paper",
        "Proszę o ścieżkę rowerową do Sopotu.",
        "",
        X,
        "Trasa rowerowa do Sopotu nie jest przedmiotem planu miejscowego; przekazaliśmy wniosek do Biura Rowerowego.",
    ),
    (
        None,
        "offline",
        "paper",
        "Zachować targowisko przy ul. Wrocławskiej.",
        "",
        A,
        "Targowisko zostaje; plan wyznacza dla niego teren usług.",
    ),
    (None, "survey_answer", "online", "Najbardziej cenię bliskość morza i zieleń.", "Zieleń", A, ""),
    (
        None,
        "survey_answer",
        "online",
        "Brakuje placu zabaw dla starszych dzieci.",
        "",
        P,
        "Plac zabaw dla starszych dzieci przewidujemy w parku, ale bez boiska, by nie wycinać drzew.",
    ),
]

THEMES = {
    "Zieleń": (
        "Drzewa, park i bulwar",
        A,
        "Park i bulwar zostają zielenią publiczną; plan chroni wszystkie drzewa o obwodzie powyżej 100 cm, dodaje "
        "szpaler po obu stronach Orłowskiej, a budżet obywatelski sfinansuje nowe ławki.",
    ),
    "Wysokość zabudowy": (
        "Wysokość nowych budynków przy Alei Zwycięstwa",
        P,
        "Obniżyliśmy dopuszczalną wysokość do czterech kondygnacji od strony morza; pięć zostaje tylko przy Alei.",
    ),
    "Parkingi i ruch": (
        "Parking buforowy i ruch w dzielnicy",
        N,
        "Parking buforowy przy SKM zostaje: zmniejsza ruch w głębi dzielnicy. Strefa Tempo 30 obejmie ulice "
        "osiedlowe na podstawie osobnej uchwały.",
    ),
}

OUTCOME = (
    "Rada Miasta przyjmie plan z trzema zmianami wynikającymi z konsultacji: niższa zabudowa od strony morza, "
    "ochrona wszystkich dużych drzew i nowe przejście dla pieszych przy szkole. Parking buforowy przy SKM zostaje, "
    "bo zmniejsza ruch w głębi dzielnicy. Odpowiedzi na wszystkie uwagi są w załączniku."
)

POPULATION = [
    Figure("age_band", "under_18", 2400),
    Figure("age_band", "18_29", 1700),
    Figure("age_band", "30_44", 2600),
    Figure("age_band", "45_64", 3100),
    Figure("age_band", "65_plus", 3200),
    Figure("gender", "woman", 6900),
    Figure("gender", "man", 6100),
    Figure("district", "Orłowo Dolne", 5200),
    Figure("district", "Orłowo Górne", 4800),
    Figure("district", "Mały Kack", 3000),
]


def _document(consultation: Consultation) -> list[Paragraph]:
    document = Document.objects.filter(consultation=consultation).first()
    if document is None:
        document = Document.objects.create(
            consultation=consultation, title="Projekt planu miejscowego Orłowa", source="pasted"
        )
        number = 0
        for weight, (label, heading, texts) in enumerate(SECTIONS):
            section = Section.objects.create(document=document, heading=heading, number=label, weight=weight)
            for text in texts:
                number += 1
                Paragraph.objects.create(
                    document=document, section=section, number=number, text=f"<p>{text}</p>", weight=number
                )
    return list(document.paragraphs.order_by("number"))


def _participants(context: DemoContext, consultation: Consultation) -> list[Participant]:
    rng = random.Random(2025)  # noqa: S311 — a repeatable demo, not a secret
    now = timezone.now()
    ages = ["18_29"] * 2 + ["30_44"] * 9 + ["45_64"] * 10 + ["65_plus"] * 3 + ["undisclosed"]
    districts = ["Orłowo Dolne"] * 12 + ["Orłowo Górne"] * 9 + ["Mały Kack"] * 4
    people = []
    resident = context.people.get("resident")
    if resident is not None:
        people.append(
            Participant.objects.get_or_create(
                consultation=consultation,
                user=resident,
                defaults={
                    "age_band": "30_44",
                    "gender": "man",
                    "district": "Orłowo Dolne",
                    "demographics_answered_at": now,
                },
            )[0]
        )
    people.extend(
        Participant.objects.get_or_create(
            consultation=consultation,
            email=f"mieszkaniec{index + 1}@example.org",
            defaults={
                "email_verified_at": now - timedelta(days=30),
                "display_name": f"Mieszkaniec {index + 1}",
                "age_band": ages[index],
                "gender": "woman" if index % 5 < 3 else "man",
                "district": districts[index],
                "demographics_answered_at": now - timedelta(days=30),
                "notify": index % 4 != 0,
            },
        )[0]
        for index in range(25)
    )
    rng.shuffle(people)
    return people


def load(context: DemoContext) -> None:
    from veche.consultations.services import checklist, evaluation, report, responses

    consultation = (
        Consultation.objects.with_timeline()
        .select_related("standard_set")
        .filter(organisation__slug="gdynia", slug=CLOSED_SLUG)
        .first()
    )
    if consultation is None or consultation.report_published_at is not None or not consultation.is_closed():
        return
    actor = context.people["root"]
    paragraphs = _document(consultation)
    people = _participants(context, consultation)
    # Looked up by text, not "has any contributions": the surveys part records its paper forms here first.
    existing = set(Contribution.objects.filter(consultation=consultation).values_list("text", flat=True))
    if not existing.issuperset(item[3] for item in INPUT):
        received = (consultation.closes_at - timedelta(days=20)).date()
        for index, (paragraph, kind, channel, text, _theme, _outcome, _why) in enumerate(INPUT):
            if text in existing:
                continue
            offline = kind == ContributionKind.OFFLINE
            Contribution.objects.create(
                consultation=consultation,
                kind=kind,
                channel=channel,
                participant=None if offline else people[index % len(people)],
                author_label="Dyskusja publiczna, SP nr 9"
                if channel == Channel.MEETING
                else ("Formularz papierowy" if channel == Channel.PAPER else ""),
                paragraph=paragraphs[paragraph] if paragraph is not None else None,
                text=text,
                proposed_text=text if kind == ContributionKind.WORDING else "",
                received_on=received if offline else None,
                recorded_by=actor if offline else None,
            )
    if "(ukryty komentarz)" not in existing:
        Contribution.objects.create(
            consultation=consultation,
            kind=ContributionKind.COMMENT,
            participant=people[-1],
            paragraph=paragraphs[2],
            text="(ukryty komentarz)",
            status=ContributionStatus.HIDDEN,
            moderation_reason="Obraźliwe słowa wobec innych mieszkańców (regulamin, pkt 2).",
            moderated_by=actor,
            moderated_at=timezone.now(),
        )
    checklist.replace_population(actor=actor, organisation=consultation.organisation, figures=POPULATION)
    if not consultation.organisation.consultation_standards.exists() and consultation.standard_set is not None:
        own = checklist.copy_standard_set(
            actor=actor, organisation=consultation.organisation, source=consultation.standard_set
        )
        checklist.update_standard_set(
            actor=actor, standard_set=own, name="Standard konsultacji Gdyni", min_open_days=30
        )
    themes = {}
    for key, (title, outcome, justification) in THEMES.items():
        theme = consultation.themes.filter(title=title).first() or responses.create_theme(
            actor=actor, consultation=consultation, title=title
        )
        responses.respond_to_theme(actor=actor, theme=theme, outcome=outcome, justification=justification)
        themes[key] = theme
    items = {item.text: item for item in Contribution.objects.filter(consultation=consultation).answerable()}
    for _paragraph, _kind, _channel, text, theme, outcome, justification in INPUT:
        item = items.get(text)
        if item is None:
            continue
        if theme:
            responses.assign_to_theme(actor=actor, theme=themes[theme], contributions=[item], consultation=consultation)
        else:
            responses.respond(actor=actor, contribution=item, outcome=outcome, justification=justification)
    for item in items.values():  # anything the other parts' demos added
        if responses.effective_response(item) is None and not item.is_hidden:
            responses.respond(
                actor=actor,
                contribution=item,
                outcome=P,
                justification="Dziękujemy; uwzględnimy ją w szczegółowym projekcie zagospodarowania.",
            )
    if consultation.standard_set is not None:
        ratings = {}
        for index, item in enumerate(consultation.standard_set.items.all()):
            rating = "partly" if item.key in ("universality", "coordination") else "met"
            note = "Słabo dotarliśmy do młodzieży." if item.key == "universality" else ""
            ratings[item.pk] = (rating if index < 10 else "met", note)
        checklist.assess_standards(actor=actor, consultation=consultation, ratings=ratings)
    report.save_outcome(actor=actor, consultation=consultation, outcome=OUTCOME)
    build = report.request_build(actor=actor, consultation=consultation, publish=True)
    report.run_build(build.pk)  # synchronously: the demo shows the published report at once
    consultation.refresh_from_db()
    if consultation.report_published_at is None:
        return
    for index, person in enumerate(people[:8]):
        if EvaluationAnswer.objects.filter(participant=person).exists():
            continue
        evaluation.answer_evaluation(
            participant=person,
            consultation=consultation,
            answers={"clear_information": 4 + index % 2, "enough_time": 3 + index % 3, "views_used": 3 + index % 2},
            comment="Dobrze, że odpowiedzieliście na każdą uwagę." if index == 0 else "",
        )
    context.log.append(f"Published report: {consultation.get_absolute_url()}report/")
