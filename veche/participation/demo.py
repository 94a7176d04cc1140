"""Demo processes: one published process in each demo municipality, with texts in Czech, Polish and English.

No module app is installed yet, so the processes have no modules; module apps add theirs in their own demo.py.
Created through the services the first time (so the audit log has entries to show); later runs only refresh texts.
"""

from __future__ import annotations

from typing import Any

from veche.core.demo import DemoContext, register
from veche.participation import services
from veche.participation.models import Process

PROCESSES: list[dict[str, Any]] = [
    {
        "organisation": "wieliczka",
        "slug": "participatory-budget-2027",
        "created_by": "koordynator",
        "title": {
            "en": "Participatory budget 2027",
            "pl": "Budżet obywatelski 2027",
            "cs": "Participativní rozpočet 2027",
        },
        "summary": {
            "en": "Residents propose projects for their neighbourhood, experts check that they can be built, and "
            "everyone who lives in Wieliczka votes on which ones the municipality pays for in 2027.",
            "pl": "Mieszkańcy zgłaszają projekty dla swojej okolicy, eksperci sprawdzają, czy da się je zrealizować, "
            "a wszyscy mieszkańcy Wieliczki głosują, które z nich gmina sfinansuje w 2027 roku.",
            "cs": "Obyvatelé navrhují projekty pro své okolí, odborníci ověří, zda jsou proveditelné, a všichni "
            "obyvatelé Wieliczky hlasují o tom, které z nich obec v roce 2027 zaplatí.",
        },
    },
    {
        "organisation": "kolin",
        "slug": "riverside-park",
        "created_by": "coordinator",
        "title": {
            "en": "Riverside park: what should it become?",
            "cs": "Park u řeky: čím by se měl stát?",
            "pl": "Park nad rzeką: czym powinien się stać?",
        },
        "summary": {
            "en": "The town is redesigning the park by the Elbe. Tell us how you use it today and what you miss; "
            "the architects will work from what you say.",
            "cs": "Město připravuje novou podobu parku u Labe. Řekněte nám, jak park dnes využíváte a co vám v něm "
            "chybí; architekti budou vycházet z toho, co řeknete.",
            "pl": "Miasto przygotowuje nowy projekt parku nad Łabą. Powiedz nam, jak dziś korzystasz z parku i czego "
            "ci w nim brakuje; architekci będą pracować na podstawie twoich uwag.",
        },
    },
    {
        "organisation": "gdynia",
        "slug": "district-plan-consultation",
        "created_by": "root",
        "title": {
            "en": "District plan consultation",
            "pl": "Konsultacje planu dzielnicy",
            "cs": "Projednání plánu čtvrti",
        },
        "summary": {
            "en": "A public consultation on the draft local plan for the Orłowo district: read the draft, comment "
            "on it and come to the open meetings.",
            "pl": "Konsultacje społeczne projektu miejscowego planu dla dzielnicy Orłowo: przeczytaj projekt, zgłoś "
            "uwagi i przyjdź na otwarte spotkania.",
            "cs": "Veřejné projednání návrhu územního plánu pro čtvrť Orłowo: přečtěte si návrh, připomínkujte ho "
            "a přijďte na veřejná setkání.",
        },
    },
]


@register(order=30)
def load_processes(context: DemoContext) -> None:
    for spec in PROCESSES:
        organisation = context.organisations[spec["organisation"]]
        process = Process.objects.filter(organisation=organisation, slug=spec["slug"]).first()
        if process is None:
            actor = context.people[spec["created_by"]]
            process = services.create_process(
                actor=actor, organisation=organisation, title=spec["title"], summary=spec["summary"], slug=spec["slug"]
            )
            services.publish_process(actor=actor, process=process)
        else:
            for language, text in spec["title"].items():
                setattr(process, f"title_{language}", text)
            for language, text in spec["summary"].items():
                setattr(process, f"summary_{language}", text)
            process.is_published = True
            process.save()
