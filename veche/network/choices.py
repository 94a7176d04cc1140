"""Fixed vocabularies of the network app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembershipState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", pgettext_lazy("membership state", "Member")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    LEFT = "left", _("Left the network")
    REMOVED = "removed", _("Membership ended by the coordinators")


# An application waiting for a decision, or a current membership: at most one of these per network and member.
OPEN_STATES = frozenset({MembershipState.APPLIED, MembershipState.ACTIVE})


class MemberListVisibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members of the network only")


class Visibility(models.IntegerChoices):
    """Who sees one field of a practitioner's profile. Ordered: a viewer with clearance c sees fields with
    visibility <= c (see veche.network.visibility)."""

    PUBLIC = 10, _("Everyone")
    MEMBERS = 20, _("Members of my networks")
    COORDINATORS = 30, _("Coordinators of my networks")
    HIDDEN = 40, _("Only me")


class PractitionerRole(models.TextChoices):
    OFFICIAL = "official", _("Municipal or regional official")
    POLITICIAN = "politician", _("Elected representative")
    NGO = "ngo", _("NGO worker")
    LOCAL_LEADER = "local_leader", _("Local leader or activist")
    RESEARCHER = "researcher", _("Researcher")
    FACILITATOR = "facilitator", _("Facilitator")
    CONSULTANT = "consultant", _("Consultant")
    TRAINER = "trainer", pgettext_lazy("practitioner role", "Trainer")
    STUDENT = "student", _("Student")
    OTHER = "other", pgettext_lazy("practitioner role", "Other")


class Availability(models.TextChoices):
    """What a practitioner offers; the keys are also the names of the profile's available_as_<key> fields."""

    MENTOR = "mentor", pgettext_lazy("availability", "Mentor")
    FACILITATOR = "facilitator", pgettext_lazy("availability", "Facilitator")
    TRAINER = "trainer", pgettext_lazy("availability", "Trainer")
    ADVISOR = "advisor", pgettext_lazy("availability", "Advisor")


class LanguageChoices(models.TextChoices):
    """Languages practitioners work in (ISO 639-1), the region's languages first."""

    CS = "cs", _("Czech")
    PL = "pl", _("Polish")
    SK = "sk", _("Slovak")
    EN = "en", _("English")
    DE = "de", _("German")
    HU = "hu", _("Hungarian")
    UK = "uk", _("Ukrainian")
    RO = "ro", _("Romanian")
    BG = "bg", _("Bulgarian")
    HR = "hr", _("Croatian")
    SR = "sr", _("Serbian")
    BS = "bs", _("Bosnian")
    SL = "sl", _("Slovenian")
    MK = "mk", _("Macedonian")
    SQ = "sq", _("Albanian")
    LT = "lt", _("Lithuanian")
    LV = "lv", _("Latvian")
    ET = "et", _("Estonian")
    RU = "ru", _("Russian")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    IT = "it", _("Italian")
