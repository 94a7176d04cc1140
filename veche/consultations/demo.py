"""Demo consultations, loaded by `veche demo` after the processes and budgets (order 70).

The parts of the app load their demo data in this order — set-up, documents, surveys, report — each from its own
demo_<part>.py, with a `load(context)` function called below. A part adds its line when its demo exists:

* demo_setup: an OPEN consultation in Kolín (Czech) and a CLOSED one in Gdynia (Polish) whose report is not out yet;
* demo_documents: the open one's draft document with comments and proposed wordings;
* demo_surveys: the open one's survey with answers;
* demo_report: responses to the closed one's contributions and its published report.

Each loader is idempotent (looks its objects up first), like every demo loader.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from veche.consultations import demo_documents, demo_report, demo_setup, demo_surveys
from veche.consultations.models import StandardSet
from veche.core.demo import DemoContext, register


def _ensure_default_standard() -> None:
    """The platform's default standard is seeded by a migration; a database emptied after migrating has lost it. Its
    seed function is run again rather than copied, so that the demo and a migrated site hold the same standard."""
    if not StandardSet.objects.filter(organisation__isnull=True).exists():
        import_module("veche.consultations.migrations.0002_default_standard").seed(apps, None)


@register(order=70)
def load_consultations(context: DemoContext) -> None:
    _ensure_default_standard()
    demo_setup.load(context)
    demo_documents.load(context)
    demo_surveys.load(context)
    demo_report.load(context)
