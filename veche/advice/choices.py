"""Fixed vocabularies of advice on request."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AdviceStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("advice request status", "New")
    ASSIGNED = "assigned", pgettext_lazy("advice request status", "Expert assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("advice request status", "In progress")
    CLOSED = "closed", pgettext_lazy("advice request status", "Closed")
    DECLINED = "declined", pgettext_lazy("advice request status", "Declined")


# Requests still being worked on: people can write in the thread, coordinators can (re)assign.
OPEN_STATUSES = frozenset({AdviceStatus.NEW, AdviceStatus.ASSIGNED, AdviceStatus.IN_PROGRESS})
# An expert is working on these.
WITH_EXPERT = frozenset({AdviceStatus.ASSIGNED, AdviceStatus.IN_PROGRESS})
# The badge tone of each status on lists and the request page.
STATUS_TONES = {
    AdviceStatus.NEW: "info",
    AdviceStatus.ASSIGNED: "warning",
    AdviceStatus.IN_PROGRESS: "warning",
    AdviceStatus.CLOSED: "success",
    AdviceStatus.DECLINED: "neutral",
}


class AdviceStage(models.TextChoices):
    """What the requester needs help with; the method (veche.core.vocabulary.MethodChoices) says with what."""

    PLANNING = "planning", _("Planning a process")
    RUNNING = "running", _("Running a process")
    EVALUATING = "evaluating", _("Evaluating a process")
    RULES = "rules", _("Writing the rules (e.g. of a participatory budget)")
    OTHER = "other", pgettext_lazy("advice stage", "Something else")


class Rating(models.IntegerChoices):
    ONE = 1, _("1 — did not help")
    TWO = 2, _("2 — helped a little")
    THREE = 3, _("3 — helped")
    FOUR = 4, _("4 — helped a lot")
    FIVE = 5, _("5 — exactly what we needed")
