"""Implementation pages: the list of an edition's funded projects, one project's timeline (follow, updates), and the
staff form that posts an update."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from veche.budgeting.choices import ImplementationStatus
from veche.budgeting.forms.results import ImplementationUpdateForm
from veche.budgeting.models import Edition, Implementation, ImplementationUpdate
from veche.budgeting.services import implementation as services
from veche.budgeting.views.editions import get_edition_for_user
from veche.budgeting.views.results import trail
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

STEPS = [
    ImplementationStatus.PLANNED,
    ImplementationStatus.DESIGN,
    ImplementationStatus.TENDER,
    ImplementationStatus.IN_PROGRESS,
    ImplementationStatus.COMPLETED,
]
TONES = {
    ImplementationStatus.PLANNED: "neutral",
    ImplementationStatus.DESIGN: "info",
    ImplementationStatus.TENDER: "info",
    ImplementationStatus.IN_PROGRESS: "warning",
    ImplementationStatus.COMPLETED: "success",
    ImplementationStatus.CANCELLED: "danger",
}


def get_edition_with_results(request: HttpRequest, edition_id: int) -> Edition:
    edition = get_edition_for_user(request, edition_id)
    if not request.user.has_perm("budgeting.view_results", edition) or edition.results_published_at is None:
        raise Http404
    return edition


def get_implementation_for_user(request: HttpRequest, edition_id: int, number: int) -> Implementation:
    """The funded project's implementation record if its edition's results are published and visible; 404 else."""
    edition = get_edition_with_results(request, edition_id)
    implementation = (
        Implementation.objects.select_related("proposal__pool", "proposal__category")
        .prefetch_related(Prefetch("updates", ImplementationUpdate.objects.select_related("created_by")))
        .annotate(follower_count=Count("followers"))
        .filter(proposal__edition=edition, proposal__number=number)
        .first()
    )
    if implementation is None:
        raise Http404
    implementation.proposal.edition = edition
    return implementation


def status_tone(status: str) -> str:
    return TONES.get(ImplementationStatus(status), "neutral")


@require_safe
def implementation_list(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_with_results(request, edition_id)
    records = list(
        Implementation.objects.filter(proposal__edition=edition)
        .select_related("proposal__pool")
        .order_by("proposal__pool__weight", "proposal__pool_id", "proposal__number")
    )
    rows = [{"record": record, "proposal": record.proposal, "tone": status_tone(record.status)} for record in records]
    counts = {status.value: 0 for status in ImplementationStatus}
    for record in records:
        counts[record.status] += 1
    summary = [(status.label, counts[status.value]) for status in ImplementationStatus if counts[status.value]]
    return render(
        request,
        "budgeting/implementation_list.html",
        {"edition": edition, "rows": rows, "summary": summary, "trail": trail(edition, (_("Implementation"), None))},
    )


@require_safe
def implementation_detail(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    implementation = get_implementation_for_user(request, edition_id, number)
    proposal = implementation.proposal
    edition = proposal.edition
    user = request.user
    following = user.is_authenticated and implementation.followers.filter(pk=user.pk).exists()
    current = ImplementationStatus(implementation.status)
    reached = STEPS.index(current) if current in STEPS else -1
    steps = [
        {"label": step.label, "done": index < reached, "current": index == reached} for index, step in enumerate(STEPS)
    ]
    return render(
        request,
        "budgeting/implementation.html",
        {
            "edition": edition,
            "implementation": implementation,
            "proposal": proposal,
            "status_label": current.label,
            "tone": status_tone(current),
            "cancelled": current == ImplementationStatus.CANCELLED,
            "steps": steps,
            "updates": [
                {
                    "update": update,
                    "label": ImplementationStatus(update.status).label,
                    "tone": status_tone(update.status),
                }
                for update in implementation.updates.all()
            ],
            "following": following,
            "can_follow": user.has_perm("budgeting.follow_implementation", edition),
            "can_update": user.has_perm("budgeting.update_implementation", edition),
            "trail": trail(
                edition,
                (_("Implementation"), _list_url(edition)),
                (proposal.title, None),
            ),
        },
    )


def _list_url(edition: Edition) -> str:
    return reverse("budgeting:implementation_list", kwargs={"edition_id": edition.pk})


@login_required
@limit_writes
@require_POST
def implementation_follow(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    implementation = get_implementation_for_user(request, edition_id, number)
    follow = request.POST.get("follow", "1") == "1"
    services.set_following(user=request.user, implementation=implementation, follow=follow)
    messages.success(
        request,
        _("You will be told about every update of this project.")
        if follow
        else _("You no longer follow this project."),
    )
    return redirect("budgeting:implementation", edition_id=edition_id, number=number)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def implementation_update(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    implementation = get_implementation_for_user(request, edition_id, number)
    edition = implementation.proposal.edition
    if not request.user.has_perm("budgeting.update_implementation", edition):
        raise PermissionDenied
    initial = {
        "status": implementation.status,
        "progress": implementation.progress,
        "cancel_reason": implementation.cancel_reason,
    }
    form = ImplementationUpdateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_update(
                actor=request.user,
                implementation=implementation,
                status=data["status"],
                progress=data["progress"],
                text=data["text"],
                cancel_reason=data["cancel_reason"],
                photo=data["photo"],
                photo_alt=data["photo_alt"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict") and error.code in (
                "too_large",
                "not_an_image",
                "bad_format",
                "too_many_pixels",
            ):
                form.add_error("photo", error)
            else:
                apply_service_errors(form, error)
        else:
            messages.success(request, _("The update is posted; followers will be told."))
            return redirect("budgeting:implementation", edition_id=edition_id, number=number)
    proposal = implementation.proposal
    return render(
        request,
        "budgeting/implementation_update.html",
        {
            "edition": edition,
            "implementation": implementation,
            "proposal": proposal,
            "form": form,
            "trail": trail(
                edition,
                (_("Implementation"), _list_url(edition)),
                (proposal.title, services.implementation_url(implementation)),
                (_("Post an update"), None),
            ),
        },
    )
