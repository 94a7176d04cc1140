"""Fixed vocabularies of follows and reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Insults, harassment or hate")
    PERSONAL_DATA = "personal_data", _("Someone's personal data")
    OFF_TOPIC = "off_topic", _("Off topic")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", pgettext_lazy("report reason", "Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("report status", "Open")
    RESOLVED = "resolved", pgettext_lazy("report status", "Resolved")
    DISMISSED = "dismissed", pgettext_lazy("report status", "Dismissed")
