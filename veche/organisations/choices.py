"""Fixed vocabularies of the organisations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    NGO = "ngo", _("NGO")
    NETWORK = "network", pgettext_lazy("organisation kind", "Network")


class Country(models.TextChoices):
    """Countries of Central & Eastern Europe and the Balkans (ISO 3166-1 alpha-2; XK for Kosovo by convention)."""

    AL = "AL", _("Albania")
    AT = "AT", _("Austria")
    BA = "BA", _("Bosnia and Herzegovina")
    BG = "BG", _("Bulgaria")
    CZ = "CZ", _("Czechia")
    DE = "DE", _("Germany")
    EE = "EE", _("Estonia")
    GR = "GR", _("Greece")
    HR = "HR", _("Croatia")
    HU = "HU", _("Hungary")
    LT = "LT", _("Lithuania")
    LV = "LV", _("Latvia")
    MD = "MD", _("Moldova")
    ME = "ME", _("Montenegro")
    MK = "MK", _("North Macedonia")
    PL = "PL", _("Poland")
    RO = "RO", _("Romania")
    RS = "RS", _("Serbia")
    SI = "SI", _("Slovenia")
    SK = "SK", _("Slovakia")
    UA = "UA", _("Ukraine")
    XK = "XK", _("Kosovo")


class RoleKind(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Participation coordinator")
    MODERATOR = "moderator", _("Moderator")
    EXPERT = "expert", _("Expert / reviewer")
    MEMBER = "member", pgettext_lazy("role", "Member")


# Holding any of these makes a person staff of the organisation: they see and change others' data, so they must
# protect their account with a second factor.
STAFF_ROLES = frozenset({RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR, RoleKind.EXPERT})
