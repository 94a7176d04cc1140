"""Attachments: the coordinator's list with the upload form, downloads with safe headers, deleting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from veche.consultations.access import get_consultation_for_user
from veche.consultations.documents_links import consultation_kwargs
from veche.consultations.files import CONTENT_TYPES
from veche.consultations.forms_documents import AttachmentForm
from veche.consultations.models import Attachment, Document
from veche.consultations.querysets_documents import attachments_of
from veche.consultations.services import documents as services
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

MANAGE = "consultations.change_consultation"


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def attachment_list(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=MANAGE)
    documents = Document.objects.filter(consultation=consultation)
    form = AttachmentForm(request.POST or None, request.FILES or None, documents=documents)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.check_attachment_size(upload.size)  # before reading the upload into memory
            services.add_attachment(
                actor=request.user,
                consultation=consultation,
                title=form.cleaned_data.get("title") or "",
                name=upload.name or "",
                data=upload.read(),
                document=form.cleaned_data.get("document"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The file is attached and shown on the consultation page."))
            return redirect(reverse("consultations:attachments", kwargs=consultation_kwargs(consultation)))
    return render(
        request,
        "consultations/documents/attachments.html",
        {
            "consultation": consultation,
            "attachments": list(attachments_of(consultation)),
            "form": form,
            "crumbs": [(consultation.subject, consultation.get_absolute_url()), (_("Attachments"), None)],
        },
    )


def attachment_download(request: HttpRequest, org_slug: str, slug: str, attachment_id: int) -> HttpResponse:
    """The file as a download (never rendered by the browser as a page): its sniffed type, nosniff, a sandboxing
    CSP and a cleaned file name."""
    consultation = get_consultation_for_user(request, org_slug, slug)
    attachment = get_object_or_404(Attachment, pk=attachment_id, consultation=consultation)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    inline = attachment.file_type in ("pdf", "png", "jpeg", "gif", "webp")
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=CONTENT_TYPES.get(attachment.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@limit_writes
@require_POST
def attachment_delete(request: HttpRequest, org_slug: str, slug: str, attachment_id: int) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=MANAGE)
    attachment = get_object_or_404(Attachment, pk=attachment_id, consultation=consultation)
    attachment.consultation = consultation
    services.delete_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("The attachment is removed."))
    return redirect(reverse("consultations:attachments", kwargs=consultation_kwargs(consultation)))
