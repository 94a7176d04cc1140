"""Practitioners' pages: a profile, editing one's own, writing to a practitioner, the messages received, and the
moderators' actions. Every profile is shown through VisibleProfile (veche.network.visibility)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from veche.contributions.registry import is_reportable
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes
from veche.network import services
from veche.network.forms.profiles import ContactForm, ModerationForm, ProfileForm
from veche.network.lookups import get_profile_for_user
from veche.network.models import ContactMessage, PractitionerProfile
from veche.network.visibility import VisibleProfile, clearance_for

PAGE_SIZE = 20


def _contact_rate(group: str, request: HttpRequest) -> str:
    return settings.VECHE_CONTACT_RATE


def practitioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_profile_for_user(request, pk)
    user = request.user
    visible = VisibleProfile(profile, clearance_for(user, profile))
    context = {
        "profile": visible,
        "is_published": profile.is_published,
        "can_contact": user.has_perm("network.contact_practitioner", profile),
        "can_edit": user.has_perm("network.change_practitioner", profile),
        "can_moderate": profile.is_published and user.has_perm("network.moderate_practitioner", profile),
        "can_report": user.is_authenticated and not visible.is_own and is_reportable(profile),
        "report_label": profile._meta.label_lower,
        "moderation_form": ModerationForm(),
    }
    return render(request, "network/practitioner_detail.html", context)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Create or edit one's own profile."""
    existing = services.profile_of(request.user)
    # The form validates against its own copy: a ModelForm writes cleaned values into its instance.
    instance = (
        PractitionerProfile.objects.get(pk=existing.pk)
        if existing
        else PractitionerProfile(user=request.user, name=request.user.public_name)
    )
    form = ProfileForm(request.POST or None, request.FILES or None, instance=instance)
    if existing is None and request.method != "POST":
        form.initial.update({"name": request.user.public_name})
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.save_profile(
                actor=request.user,
                changes=form.changes(),
                methods=list(form.cleaned_data["methods"]),
                topics=list(form.cleaned_data["topics"]),
                photo=form.cleaned_data.get("photo") or None,
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if profile.is_published:
                messages.success(request, _("Your profile is saved and listed in the practitioners' database."))
            else:
                messages.success(request, _("Your profile is saved. Only you see it until you publish it."))
            return redirect(profile)
    return render(request, "network/profile_form.html", {"form": form, "profile": existing})


@login_required
@limit_writes
@ratelimit(key="user", rate=_contact_rate, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_profile_for_user(request, pk)
    if not request.user.has_perm("network.contact_practitioner", profile):
        raise Http404
    visible = VisibleProfile(profile, clearance_for(request.user, profile))
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(
                sender=request.user,
                profile=profile,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                share_email=form.cleaned_data["share_email"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your message is sent. The practitioner will reply if they can."))
            return redirect(profile)
    return render(request, "network/contact.html", {"profile": visible, "form": form})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    received = ContactMessage.objects.for_recipient(request.user)
    page_obj = Paginator(received, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/inbox.html", {"page_obj": page_obj, "received": page_obj.object_list})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(ContactMessage.objects.select_related("sender", "profile__user", "network"), pk=pk)
    user = request.user
    if not user.has_perm("network.view_message", message):
        raise Http404
    can_moderate = user.has_perm("network.moderate_message", message) and not message.is_hidden
    form = ModerationForm(request.POST or None)
    if request.method == "POST":
        if not can_moderate:
            raise Http404
        if form.is_valid():
            try:
                services.hide_message(actor=user, message=message, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The message is hidden and its reports are resolved."))
                return redirect(message)
    sender_profile = getattr(message.sender, "practitioner_profile", None) if message.sender else None
    is_recipient = message.profile.user_id == user.pk
    context = {
        "message": message,
        "is_recipient": is_recipient,
        "can_moderate": can_moderate,
        "moderation_form": form,
        "can_report": is_recipient and not message.is_hidden,
        "report_label": message._meta.label_lower,
        "reply_url": sender_profile.get_absolute_url()
        if sender_profile is not None and user.has_perm("network.contact_practitioner", sender_profile)
        else "",
    }
    return render(request, "network/message_detail.html", context)


@login_required
@limit_writes
@require_POST
def practitioner_unlist(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_profile_for_user(request, pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.unlist_profile(actor=request.user, profile=profile, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The profile is no longer listed; its reports are resolved."))
    else:
        messages.error(request, _("Say why you hide it."))
    return redirect(profile)
