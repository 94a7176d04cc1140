"""Demo data of the documents part: the open Kolín consultation's draft (about twenty paragraphs in five sections)
with comments, proposed wordings, replies, support and one comment hidden by the moderator with a public reason —
all through the services, so the page, the audit log and the notifications look as they would in real use."""

from __future__ import annotations

from typing import Any

from veche.consultations.models import Consultation, Document
from veche.consultations.services import documents as documents_services
from veche.consultations.services.documents_comments import post_contribution, set_support
from veche.consultations.services.documents_moderation import hide_contribution
from veche.consultations.services.participants import participant_for_user
from veche.core.demo import DemoContext

TITLE = "Návrh úpravy parku u řeky"

DRAFT = """Návrh popisuje, jak město opraví park u Labe v letech 2026 a 2027. Vychází z prohlídky parku, z rozhovorů \
se sousedy a ze studie architektů.

1. Proč park opravujeme

Park u řeky je nejnavštěvovanější zelená plocha ve městě. Cesty jsou rozbité, lavičky staré a za deště se dolní \
část parku zaplavuje.

Město chce park opravit tak, aby sloužil dětem, seniorům i lidem, kteří do práce jezdí na kole.

Oprava bude stát přibližně 38 milionů korun; polovinu zaplatí dotace z Národního plánu obnovy.

2. Cesty a vstupy

Hlavní cesta podél řeky bude široká 4 metry a bude mít mlatový povrch.

Cyklisté pojedou po samostatném pruhu, odděleném od chodců řadou keřů.

Nové vstupy vzniknou z ulice Pod Hradbami a od zastávky autobusu Zálabí.

Všechny cesty budou bez schodů, s mírným sklonem, aby je zvládli lidé na vozíku i rodiče s kočárkem.

3. Zeleň a voda

Zachováme všech 212 vzrostlých stromů; vysadíme 80 nových, hlavně domácích druhů.

V dolní části parku vznikne mokřad, který zadrží vodu při povodni a v létě ochladí okolí.

Trávníky u řeky budeme sekat jen dvakrát ročně, aby mohly kvést louky.

4. Hřiště a místa k sezení

Dětské hřiště se přesune dál od silnice a rozšíří se o část pro děti do tří let.

U hřiště přibude pítko a veřejné toalety otevřené od 7 do 21 hodin.

Podél cest bude každých 50 metrů lavička s opěradlem a područkami.

Pro dospívající vznikne místo s pingpongovými stoly a stíněným posezením.

5. Provoz a údržba

Park bude osvětlený od soumraku do 23 hodin; světla budou svítit dolů, aby nerušila ptáky.

Psi budou smět volně pobíhat jen na oplocené louce u severního vstupu.

O údržbu se postarají Technické služby města; na opravu závad budou mít sedm dní.

Během stavby bude vždy otevřená alespoň polovina parku.

Návrh se podle vašich připomínek upraví a v září ho schválí zastupitelstvo."""

# (author key, paragraph number, text, proposed wording or "")
COMMENTS = [
    (
        "resident",
        5,
        "Mlat se v létě hodně práší a po dešti se na kole špatně jezdí. Zvažte asfalt aspoň pro cyklopruh.",
        "",
    ),
    (
        "member",
        5,
        "Hlavní cesta by měla být širší, v neděli je tam opravdu plno.",
        "Hlavní cesta podél řeky bude široká 5 metrů a bude mít mlatový povrch; cyklistický pruh bude asfaltový.",
    ),
    (
        "expert",
        8,
        "Prosím, doplňte i vodicí linie pro nevidomé a odpočívadla u delších stoupání.",
        "Všechny cesty budou bez schodů, s mírným sklonem, s vodicími liniemi pro nevidomé a odpočívadly, aby je "
        "zvládli lidé na vozíku, nevidomí i rodiče s kočárkem.",
    ),
    ("admin", 9, "Skvělé, že stromy zůstanou. Kdo bude nové stromy zalévat první tři roky?", ""),
    ("resident", 10, "Mokřad je dobrý nápad, ale bojím se komárů. Bude se s tím nějak počítat?", ""),
    (
        "member",
        13,
        "Toalety by měly být otevřené i v zimě, park se používá celý rok.",
        "U hřiště přibude pítko a veřejné toalety otevřené celý rok od 7 do 21 hodin.",
    ),
    ("expert", 14, "Lavičky s opěradlem jsou pro seniory zásadní, děkujeme.", ""),
    ("admin", 15, "Pro dospívající by se hodilo i místo na skateboard.", ""),
    (
        "resident",
        16,
        "Do 23 hodin je zbytečně dlouho, stačilo by do 22.",
        "Park bude osvětlený od soumraku do 22 hodin; světla budou svítit dolů, aby nerušila ptáky.",
    ),
    ("member", 17, "Oplocená louka pro psy je málo, volný výběh by měl být i u jižního vstupu.", ""),
]
HIDDEN = ("admin", 17, "Pejskaři jsou banda bezohledných idiotů, ať si jdou jinam.")
HIDDEN_REASON = "Příspěvek uráží jinou skupinu obyvatel (pravidla diskuse: kritizujte názory, ne lidi)."
REPLIES = [
    (0, "expert", "Mlat lze zpevnit pojivem, pak se tolik nepráší. Asfalt by zase víc hřál."),
    (4, "member", "Mokřady s rybami a vážkami mají komárů málo, stojatá voda v sudech je horší."),
    (8, "admin", "Do 22 hodin by stačilo i nám, bydlíme hned u parku."),
]
SUPPORTS = [(0, "member"), (0, "admin"), (1, "resident"), (2, "resident"), (2, "member"), (5, "expert"), (8, "member")]


def _person(context: DemoContext, key: str) -> Any:
    return context.people.get(key)


def add_document(consultation: Consultation, context: DemoContext) -> Document | None:
    """The draft of the open consultation, commented on; nothing if it already has a document (idempotent)."""
    coordinator = _person(context, "coordinator")
    if coordinator is None or Document.objects.filter(consultation=consultation).exists():
        return None
    document = documents_services.save_document(
        actor=coordinator, consultation=consultation, title=TITLE, content=DRAFT, source="pasted"
    )
    paragraphs = {paragraph.number: paragraph for paragraph in document.paragraphs.all()}
    posted = []
    for key, number, text, wording in COMMENTS:
        person = _person(context, key)
        participant = participant_for_user(user=person, consultation=consultation)
        posted.append(
            post_contribution(
                actor=person,
                participant=participant,
                consultation=consultation,
                paragraph=paragraphs[number],
                text=text,
                proposed_text=wording,
            ).contribution
        )
    for index, key, text in REPLIES:
        person = _person(context, key)
        post_contribution(
            actor=person,
            participant=participant_for_user(user=person, consultation=consultation),
            consultation=consultation,
            parent=posted[index],
            text=text,
        )
    for index, key in SUPPORTS:
        person = _person(context, key)
        set_support(
            actor=person,
            participant=participant_for_user(user=person, consultation=consultation),
            contribution=posted[index],
            supported=True,
        )
    key, number, text = HIDDEN
    person = _person(context, key)
    rude = post_contribution(
        actor=person,
        participant=participant_for_user(user=person, consultation=consultation),
        consultation=consultation,
        paragraph=paragraphs[number],
        text=text,
    ).contribution
    hide_contribution(actor=coordinator, contribution=rude, reason=HIDDEN_REASON)
    context.log.append(
        f"consultation document: {consultation.subject} — {len(paragraphs)} paragraphs, {len(posted) + 1} comments"
    )
    return document


def load(context: DemoContext) -> None:
    from veche.consultations.demo_setup import OPEN_SLUG

    consultation = Consultation.objects.with_timeline().filter(slug=OPEN_SLUG, organisation__slug="kolin").first()
    if consultation is not None:
        add_document(consultation, context)
