"""Fixed vocabularies of the consultations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TargetGroup(models.TextChoices):
    """Groups a consultation sets out to reach; the report checks whether it did."""

    GENERAL = "general", _("All residents")
    YOUTH = "youth", _("Young people")
    CHILDREN = "children", _("Children and families")
    SENIORS = "seniors", _("Older people")
    DISABILITIES = "disabilities", _("People with disabilities")
    MINORITIES = "minorities", _("National and ethnic minorities")
    MIGRANTS = "migrants", _("Migrants and foreign residents")
    BUSINESSES = "businesses", _("Local businesses")
    NGOS = "ngos", _("NGOs and community groups")
    NEIGHBOURS = "neighbours", _("People living nearby")


class MethodKind(models.TextChoices):
    """Ways a consultation gathers views; each used method has a description, and a date and place when it meets."""

    ONLINE_COMMENTS = "online_comments", _("Online comments on a document")
    SURVEY = "survey", _("Survey")
    PUBLIC_MEETING = "public_meeting", _("Public meeting")
    WALK = "walk", _("Consultation walk")
    WORKSHOP = "workshop", _("Workshop")
    PAPER_FORM = "paper_form", _("Paper form")
    DUTY_HOURS = "duty_hours", _("Consultation duty hours")


class Channel(models.TextChoices):
    """Where a contribution came from, so that every channel ends up in one report."""

    ONLINE = "online", pgettext_lazy("channel", "Online")
    MEETING = "meeting", _("Public meeting")
    WALK = "walk", _("Consultation walk")
    WORKSHOP = "workshop", _("Workshop")
    PAPER = "paper", _("Paper form")
    EMAIL = "email", _("Email or letter")
    DUTY_HOURS = "duty_hours", _("Consultation duty hours")


OFFLINE_CHANNELS = tuple(channel for channel in Channel if channel != Channel.ONLINE)


class ParticipationMode(models.TextChoices):
    """Who may take part online."""

    SIGNED_IN = "signed_in", _("Signed-in residents only")
    VERIFIED_EMAIL = "verified_email", _("Anyone with a verified email address")
    ONE_TIME_CODE = "one_time_code", _("Anyone with a one-time code (e.g. from a letter)")


class ContributionKind(models.TextChoices):
    COMMENT = "comment", pgettext_lazy("contribution", "Comment")
    WORDING = "wording", _("Proposed wording")
    REPLY = "reply", _("Reply")
    SURVEY_ANSWER = "survey_answer", _("Survey answer")
    OFFLINE = "offline", _("Offline contribution")


# Kinds that get an official response after closing (replies are part of a conversation, not input to answer).
ANSWERABLE_KINDS = (
    ContributionKind.COMMENT,
    ContributionKind.WORDING,
    ContributionKind.SURVEY_ANSWER,
    ContributionKind.OFFLINE,
)


class ContributionStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_44 = "30_44", _("30–44")
    AGE_45_64 = "45_64", _("45–64")
    AGE_65_PLUS = "65_plus", _("65 and over")
    UNDISCLOSED = "undisclosed", _("prefer not to say")


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    OTHER = "other", _("in another way")
    UNDISCLOSED = "undisclosed", _("prefer not to say")
