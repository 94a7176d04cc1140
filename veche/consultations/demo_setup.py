"""Demo consultations of the set-up part: described, scheduled, with methods, target groups and an area, through the
set-up services (so the audit log shows the steps).

* Kolín: "Park u řeky" — OPEN now (Czech), in the existing process "riverside-park"; the demo resident follows it.
* Gdynia: "Plan dzielnicy Orłowo" — CLOSED two weeks ago (Polish), in the process "district-plan-consultation"; its
  report is due in two weeks and is published by the report part's demo (demo_report.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from veche.consultations.choices import MethodKind, TargetGroup
from veche.consultations.geo import parse_area
from veche.consultations.models import Consultation
from veche.consultations.module import CONSULTATION
from veche.consultations.services import following, setup
from veche.consultations.services.setup import MethodInput
from veche.core.demo import DemoContext
from veche.core.models import Topic
from veche.participation import services as participation
from veche.participation.models import Process

OPEN_SLUG = "park-u-reky"
CLOSED_SLUG = "plan-dzielnicy-orlowo"

KOLIN_PARK = [[15.197, 50.0335], [15.2075, 50.0352], [15.2118, 50.0318], [15.2009, 50.0297]]
ORLOWO = [[18.548, 54.4905], [18.5645, 54.4905], [18.5655, 54.4788], [18.5465, 54.4782]]


def _polygon(corners: list[list[float]]) -> Any:
    return parse_area(json.dumps({"type": "Polygon", "coordinates": [corners]}))


def _at(day: datetime, hour: int) -> datetime:
    return timezone.localtime(day).replace(hour=hour, minute=0, second=0, microsecond=0)


def _consultation(context: DemoContext, *, organisation: str, process_slug: str, actor: Any, spec: dict) -> Any:
    """The process's consultation, created (module added, described, scheduled) the first time only."""
    process = Process.objects.filter(organisation=context.organisations[organisation], slug=process_slug).first()
    if process is None:
        return None
    existing = Consultation.objects.filter(module__process=process).first()
    if existing is not None:
        return None
    module = participation.add_module(
        actor=actor, process=process, module_type=CONSULTATION.key, title=spec["module_title"]
    )
    consultation = Consultation.objects.for_detail_page().get(module=module)
    consultation.slug = spec["slug"]
    consultation.save(update_fields=["slug"])
    setup.update_details(
        actor=actor,
        consultation=consultation,
        values=spec["details"],
        topics=Topic.objects.filter(slug__in=spec["topics"]),
        target_groups=spec["groups"],
    )
    consultation = Consultation.objects.for_detail_page().get(pk=consultation.pk)
    setup.set_timeline(actor=actor, consultation=consultation, **spec["timeline"])
    setup.set_methods(actor=actor, consultation=consultation, methods=spec["methods"])
    setup.set_area(actor=actor, consultation=consultation, area=_polygon(spec["area"]))
    consultation = Consultation.objects.for_detail_page().get(pk=consultation.pk)
    setup.publish_consultation(actor=actor, consultation=consultation)
    return consultation


def load_open(context: DemoContext, now: datetime) -> None:
    opens = _at(now - timedelta(days=5), 8)
    closes = _at(opens + timedelta(days=30), 23).replace(minute=59)
    meeting = _at(now + timedelta(days=7), 17)
    walk = _at(now + timedelta(days=10), 16)
    consultation = _consultation(
        context,
        organisation="kolin",
        process_slug="riverside-park",
        actor=context.people["coordinator"],
        spec={
            "slug": OPEN_SLUG,
            "module_title": {"cs": "Park u řeky", "en": "Riverside park", "pl": "Park nad rzeką"},
            "details": {
                "language": "cs",
                "subject": "Park u řeky: jak má vypadat?",
                "summary": (
                    "Město chce opravit park u Labe. Napište nám, co v parku děláte a co vám chybí. "
                    "Přečtěte si návrh a okomentujte ho, nebo vyplňte krátký dotazník. "
                    "Architekti podle vašich názorů upraví návrh. Na každý příspěvek odpovíme."
                ),
                "decision": "Zastupitelstvo v září schválí, podle jakého návrhu se park opraví.",
                "decision_maker": "Zastupitelstvo města Kolína",
                "contact_name": "Jana Dvořáková, koordinátorka participace",
                "contact_email": "participace@kolin.example.org",
                "contact_phone": "+420 321 748 111",
            },
            "topics": ["public_space", "climate", "sport"],
            "groups": [TargetGroup.CHILDREN, TargetGroup.SENIORS, TargetGroup.DISABILITIES, TargetGroup.NEIGHBOURS],
            "timeline": {
                "announced_at": opens - timedelta(days=7),
                "opens_at": opens,
                "closes_at": closes,
                "report_due": (closes + timedelta(days=30)).date(),
            },
            "methods": [
                MethodInput(
                    kind=MethodKind.ONLINE_COMMENTS,
                    description="Komentujte návrh úpravy parku odstavec po odstavci.",
                ),
                MethodInput(kind=MethodKind.SURVEY, description="Deset otázek, zabere to asi pět minut."),
                MethodInput(
                    kind=MethodKind.PUBLIC_MEETING,
                    description="Architekti představí návrh a odpovědí na otázky.",
                    starts_at=meeting,
                    ends_at=meeting + timedelta(hours=2),
                    place="Městský úřad Kolín, Karlovo náměstí 78, velký sál",
                ),
                MethodInput(
                    kind=MethodKind.WALK,
                    description="Projdeme park s architekty; vhodné i pro rodiny s dětmi a vozíčkáře.",
                    starts_at=walk,
                    ends_at=walk + timedelta(hours=1, minutes=30),
                    place="Sraz u lávky přes Labe",
                ),
                MethodInput(kind=MethodKind.PAPER_FORM, description="Formulář na podatelně úřadu a v knihovně."),
            ],
            "area": KOLIN_PARK,
        },
    )
    if consultation is not None:
        following.set_following(user=context.people["resident"], consultation=consultation, following=True)
        context.log.append(f"Open consultation: {consultation.get_absolute_url()}")


def load_closed(context: DemoContext, now: datetime) -> None:
    opens = _at(now - timedelta(days=60), 8)
    closes = _at(now - timedelta(days=15), 23).replace(minute=59)
    meeting = _at(opens + timedelta(days=12), 18)
    consultation = _consultation(
        context,
        organisation="gdynia",
        process_slug="district-plan-consultation",
        actor=context.people["root"],
        spec={
            "slug": CLOSED_SLUG,
            "module_title": {"pl": "Plan dzielnicy Orłowo", "en": "Orłowo district plan", "cs": "Plán čtvrti Orłowo"},
            "details": {
                "language": "pl",
                "subject": "Plan miejscowy dla Orłowa",
                "summary": (
                    "Miasto przygotowało projekt planu dla dzielnicy Orłowo. Plan mówi, gdzie można budować, "
                    "a gdzie zostanie zieleń. Zapytaliśmy mieszkańców, co o nim sądzą. "
                    "Teraz odpowiadamy na każdą uwagę i przygotowujemy raport."
                ),
                "decision": "Rada Miasta uchwali plan miejscowy dla Orłowa.",
                "decision_maker": "Rada Miasta Gdyni",
                "contact_name": "Wydział Urbanistyki",
                "contact_email": "konsultacje@gdynia.example.org",
                "contact_phone": "+48 58 668 80 00",
            },
            "topics": ["urban_planning", "housing", "public_space"],
            "groups": [TargetGroup.NEIGHBOURS, TargetGroup.BUSINESSES, TargetGroup.YOUTH],
            "timeline": {
                "announced_at": opens - timedelta(days=7),
                "opens_at": opens,
                "closes_at": closes,
                "report_due": (now + timedelta(days=15)).date(),
            },
            "methods": [
                MethodInput(kind=MethodKind.ONLINE_COMMENTS, description="Uwagi do projektu planu w internecie."),
                MethodInput(
                    kind=MethodKind.PUBLIC_MEETING,
                    description="Dyskusja publiczna nad projektem planu.",
                    starts_at=meeting,
                    ends_at=meeting + timedelta(hours=2),
                    place="Szkoła Podstawowa nr 9, ul. Orłowska 57",
                ),
                MethodInput(kind=MethodKind.PAPER_FORM, description="Formularz uwag w Urzędzie Miasta."),
            ],
            "area": ORLOWO,
        },
    )
    if consultation is not None:
        context.log.append(f"Closed consultation: {consultation.get_absolute_url()}")


def load(context: DemoContext) -> None:
    now = timezone.now()
    load_open(context, now)
    load_closed(context, now)
