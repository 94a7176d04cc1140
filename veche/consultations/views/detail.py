"""The consultation page: what is asked, by whom, until when, how to take part — then each part's section."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from veche.consultations.access import get_consultation_for_user
from veche.consultations.sections import render_detail_sections
from veche.consultations.services.following import is_following
from veche.consultations.services.setup import minimum_days, publishing_problems
from veche.consultations.views.finding import state_of
from veche.consultations.views.setup import area_feature_collection, setup_steps


def consultation_detail(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, detail=True)
    module = consultation.module
    now = timezone.now()
    user = request.user
    can_change = user.has_perm("consultations.change_consultation", consultation)
    can_follow = user.has_perm("consultations.follow_consultation", consultation)
    state = state_of(consultation, now)
    days_left = None
    if state == "open":
        days_left = max((consultation.closes_at - now).days, 0)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "process": module.process,
            "state": module.state(now),
            "consultation_state": state,
            "days_left": days_left,
            "current_phase": module.current_phase(now),
            "phases": [(phase, phase.state(now)) for phase in module.phases.all()],
            "methods": list(consultation.methods.all()),
            "target_groups": list(consultation.target_groups.all()),
            "topics": list(consultation.topics.all()),
            "area_features": area_feature_collection(consultation) if consultation.area else None,
            "minimum_days": minimum_days(consultation),
            "sections": render_detail_sections(request, consultation),
            "can_change": can_change,
            "can_follow": can_follow,
            "following": can_follow and is_following(user, consultation),
            "signed_in": user.is_authenticated,
            "setup_steps": setup_steps(consultation) if can_change else [],
            "publishing_problems": publishing_problems(consultation)
            if can_change and not module.process.is_published
            else [],
        },
    )
