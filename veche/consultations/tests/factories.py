"""Factories for consultations tests. `make_consultation(phase="open")` gives a published consultation whose named
phase is active now (earlier phases in the past, later ones in the future), with its timeline fields in step."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from veche.consultations.choices import Channel, ContributionKind
from veche.consultations.models import Consultation, Contribution, Document, Paragraph, Participant, Section
from veche.consultations.module import CONSULTATION
from veche.consultations.services.standards import standard_set_for
from veche.participation.models import Module, Phase
from veche.participation.tests.factories import ProcessFactory

PHASES = [phase.key for phase in CONSULTATION.phases]


def schedule(consultation: Consultation, phase: str | None, *, now=None) -> Consultation:
    """Make `phase` active now ("finished": all phases past; None: unscheduled) and mirror it in the timeline
    fields. Phases last 10 days each."""
    now = now or timezone.now()
    module = consultation.module
    Phase.objects.filter(module=module).delete()
    active = len(PHASES) if phase == "finished" else PHASES.index(phase) if phase else None
    rows = []
    for index, key in enumerate(PHASES):
        if active is None:
            starts = ends = None
        else:
            starts = now + timedelta(days=10 * (index - active) - 5)
            ends = starts + timedelta(days=10)
        rows.append(Phase(module=module, phase_type=key, starts_at=starts, ends_at=ends, weight=index))
    Phase.objects.bulk_create(rows)
    consultation.announced_at, consultation.opens_at, consultation.closes_at = (
        rows[0].starts_at,
        rows[1].starts_at,
        rows[1].ends_at,
    )
    consultation.report_due = rows[2].ends_at.date() if rows[2].ends_at else None
    consultation.save(update_fields=["announced_at", "opens_at", "closes_at", "report_due"])
    return consultation


def consultation_in(organisation, *, phase: str | None = "open", published: bool = True, **fields) -> Consultation:
    """A consultation of organisation in the given phase; fields override the consultation's own."""
    process = ProcessFactory(organisation=organisation, is_published=published)
    module = Module.objects.create(process=process, module_type=CONSULTATION.key, title_en="Consultation")
    fields.setdefault("subject", f"Consultation {process.slug}")
    fields.setdefault("summary", "We are planning a new park and ask what you would like in it.")
    consultation = Consultation.objects.create(
        module=module,
        organisation=organisation,
        slug=fields.pop("slug", process.slug),
        language=fields.pop("language", "en"),
        standard_set=standard_set_for(organisation),
        **fields,
    )
    schedule(consultation, phase)
    return Consultation.objects.for_detail_page().get(pk=consultation.pk)


def make_consultation(*, phase: str | None = "open", organisation=None, **fields) -> Consultation:
    from veche.core.testing.factories import OrganisationFactory

    return consultation_in(organisation or OrganisationFactory(), phase=phase, **fields)


def document_for(consultation: Consultation, *, sections: int = 2, paragraphs: int = 3) -> Document:
    """A document with `sections` sections of `paragraphs` paragraphs each, numbered through."""
    document = Document.objects.create(consultation=consultation, title="Draft plan", source="pasted")
    number = 0
    for s in range(sections):
        section = Section.objects.create(document=document, heading=f"Part {s + 1}", number=str(s + 1), weight=s)
        Paragraph.objects.bulk_create(
            Paragraph(
                document=document,
                section=section,
                number=number + p + 1,
                text=f"<p>Paragraph {number + p + 1}.</p>",
                weight=number + p,
            )
            for p in range(paragraphs)
        )
        number += paragraphs
    return document


def participant(consultation: Consultation, user=None, **fields) -> Participant:
    return Participant.objects.create(consultation=consultation, user=user, **fields)


def contribution(consultation: Consultation, *, kind=ContributionKind.COMMENT, text="More trees, please.", **fields):
    fields.setdefault("channel", Channel.ONLINE)
    return Contribution.objects.create(consultation=consultation, kind=kind, text=text, **fields)


BUSY_TEXT = (
    "<p>The council will plant {n} new trees along the river path, repair the benches by the playground and light "
    "the crossing at the school, so that children and older residents can walk safely after dark in every season.</p>"
)


def busy_document(
    consultation: Consultation,
    *,
    paragraphs: int = 300,
    comments: int = 2000,
    people: list[Participant] | None = None,
    moderator=None,
) -> tuple[Document, Paragraph]:
    """The scale case of issue #4, made with bulk_create: a document of `paragraphs` paragraphs (sections of 30)
    and `comments` comments and proposed wordings (every 5th a wording), a quarter of them on one paragraph (the
    busiest, returned with the document), every 4th answered by a reply, supports from up to 6 people each, and
    every 13th comment and 9th reply hidden by a moderator. `people` speak in turn; by default 60 participants,
    every third with an account."""
    from django.contrib.auth import get_user_model

    from veche.consultations.choices import ContributionStatus
    from veche.consultations.models import Support

    now = timezone.now()
    if people is None:
        tag = f"c{consultation.pk}"
        users = get_user_model().objects.bulk_create(
            get_user_model()(email=f"busy-{tag}-{n}@example.org", display_name=f"Neighbour {n}", password="!")
            for n in range(20)
        )
        people = Participant.objects.bulk_create(
            Participant(
                consultation=consultation,
                user=users[n // 3] if n % 3 == 0 else None,
                display_name="" if n % 3 == 0 else f"Resident {n}",
            )
            for n in range(60)
        )
    document = Document.objects.create(consultation=consultation, title="Draft plan of the riverside", source="pasted")
    sections = Section.objects.bulk_create(
        Section(document=document, heading=f"Part {s + 1}", number=str(s + 1), weight=s)
        for s in range((paragraphs + 29) // 30)
    )
    rows = Paragraph.objects.bulk_create(
        Paragraph(document=document, section=sections[n // 30], number=n + 1, text=BUSY_TEXT.format(n=n), weight=n)
        for n in range(paragraphs)
    )
    busiest = rows[len(rows) // 2]
    hidden = {"status": ContributionStatus.HIDDEN, "moderation_reason": "It insults a neighbour.", "moderated_at": now}

    def target(n: int) -> Paragraph:
        return busiest if n % 4 == 0 else rows[n % len(rows)]

    top = Contribution.objects.bulk_create(
        Contribution(
            consultation=consultation,
            kind=ContributionKind.WORDING if n % 5 == 0 else ContributionKind.COMMENT,
            channel=Channel.ONLINE,
            participant=people[n % len(people)],
            paragraph=target(n),
            text=f"Comment {n}: the path floods in spring, please raise it before planting.",
            proposed_text=(
                f"The council will plant {n} new trees along the raised river path and light the school crossing."
                if n % 5 == 0
                else ""
            ),
            **(hidden | {"moderated_by": moderator} if n % 13 == 0 else {}),
        )
        for n in range(comments)
    )
    Contribution.objects.bulk_create(
        Contribution(
            consultation=consultation,
            kind=ContributionKind.REPLY,
            channel=Channel.ONLINE,
            participant=people[(n + 1) % len(people)],
            paragraph=item.paragraph,
            parent=item,
            text=f"Reply {n}: I agree, and the benches too.",
            **(hidden | {"moderated_by": moderator} if n % 9 == 0 else {}),
        )
        for n, item in enumerate(top[::4])
    )
    Support.objects.bulk_create(
        Support(contribution=item, participant=people[(n + k + 1) % len(people)])
        for n, item in enumerate(top)
        for k in range(n % 7)
        if people[(n + k + 1) % len(people)].pk != item.participant_id
    )
    return document, busiest
