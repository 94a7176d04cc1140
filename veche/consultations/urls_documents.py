"""Documents, comments, participation and moderation."""

from django.urls import path

from veche.consultations.views import documents, documents_attachments, documents_participation

base = "<slug:org_slug>/<slug:slug>/"

urlpatterns = [
    path(base + "documents/add/", documents.document_add, name="document_add"),
    path(base + "documents/<int:document_id>/", documents.document_detail, name="document"),
    path(base + "documents/<int:document_id>/replace/", documents.document_replace, name="document_replace"),
    path(base + "documents/<int:document_id>/delete/", documents.document_delete, name="document_delete"),
    path(base + "documents/<int:document_id>/<int:number>/", documents.paragraph_detail, name="paragraph"),
    path(base + "contributions/<int:contribution_id>/reply/", documents.reply, name="reply"),
    path(base + "contributions/<int:contribution_id>/support/", documents.support, name="support"),
    path(base + "contributions/<int:contribution_id>/moderate/", documents.moderate, name="moderate"),
    path(base + "attachments/", documents_attachments.attachment_list, name="attachments"),
    path(base + "attachments/<int:attachment_id>/", documents_attachments.attachment_download, name="attachment"),
    path(
        base + "attachments/<int:attachment_id>/delete/",
        documents_attachments.attachment_delete,
        name="attachment_delete",
    ),
    path(base + "take-part/", documents_participation.take_part, name="take_part"),
    path(base + "take-part/email/<str:token>/", documents_participation.verify_email_link, name="verify_email"),
    path(base + "codes/", documents_participation.codes, name="codes"),
]
