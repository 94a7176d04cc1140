"""The consultation page: what is asked, by whom, until when, how to take part — then each part's section."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from veche.consultations.access import get_consultation_for_user
from veche.consultations.sections import render_detail_sections


def consultation_detail(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, detail=True)
    module = consultation.module
    now = timezone.now()
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "process": module.process,
            "state": module.state(now),
            "current_phase": module.current_phase(now),
            "phases": [(phase, phase.state(now)) for phase in module.phases.all()],
            "sections": render_detail_sections(request, consultation),
            "can_change": request.user.has_perm("consultations.change_consultation", consultation),
        },
    )
