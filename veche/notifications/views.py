"""The person's notifications: the list (unread first), marking read (htmx fragment or full redirect), settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from veche.notifications import services
from veche.notifications.forms import NotificationSettingsForm
from veche.notifications.models import Notification

PAGE_SIZE = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _back_to_list(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    url = reverse("notifications:list")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.for_list_page(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    has_unread = Notification.objects.filter(recipient=request.user).unread().exists()
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list, "has_unread": has_unread},
    )


@login_required
@require_POST
def mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(user=request.user, notification=notification)
    if request.htmx:
        return render(
            request,
            "notifications/list.html#item",
            {"notification": notification, "page_number": request.POST.get("page", "")},
        )
    return _back_to_list(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
            % {"count": count},
        )
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = services.settings_for(request.user)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, initial={"email_enabled": current.email_enabled}
    )
    if request.method == "POST" and form.is_valid():
        services.update_settings(user=request.user, email_enabled=form.cleaned_data["email_enabled"])
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "has_email": bool(request.user.email)})
