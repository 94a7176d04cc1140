"""Fixed vocabularies of the map of participation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("case status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("case status", "Waiting for review")
    RETURNED = "returned", pgettext_lazy("case status", "Returned for changes")
    PUBLISHED = "published", pgettext_lazy("case status", "Published")


class RevisionKind(models.TextChoices):
    """What produced a version of a case. Every saved version is kept (CaseRevision)."""

    CREATED = "created", _("Written")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", pgettext_lazy("revision", "Submitted for review")
    PUBLISHED = "published", pgettext_lazy("revision", "Published")
    RETURNED = "returned", pgettext_lazy("revision", "Returned for changes")
    PROPOSED = "proposed", _("Changes proposed to the published case")
    CHANGES_PUBLISHED = "changes_published", _("Proposed changes published")
    CHANGES_RETURNED = "changes_returned", _("Proposed changes returned")
    UNPUBLISHED = "unpublished", _("Taken off the map")


class Decision(models.TextChoices):
    PUBLISH = "publish", pgettext_lazy("review decision", "Publish")
    RETURN = "return", pgettext_lazy("review decision", "Return for changes")


STATUS_TONES = {
    CaseStatus.DRAFT: "neutral",
    CaseStatus.SUBMITTED: "warning",
    CaseStatus.RETURNED: "danger",
    CaseStatus.PUBLISHED: "success",
}
