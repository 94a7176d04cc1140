"""Vocabularies shared by several apps. Topics tag consultations, cases on the map of participation, practitioners'
profiles and (later) articles, so that one filter finds all of them; names are translated in the catalogues."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicChoices(models.TextChoices):
    URBAN_PLANNING = "urban_planning", _("Urban planning")
    PUBLIC_SPACE = "public_space", _("Public space and greenery")
    TRANSPORT = "transport", _("Transport and mobility")
    CLIMATE = "climate", _("Climate and environment")
    REVITALISATION = "revitalisation", _("Revitalisation")
    HOUSING = "housing", _("Housing")
    EDUCATION = "education", _("Education")
    YOUTH = "youth", _("Young people")
    SENIORS = "seniors", _("Older people")
    SOCIAL = "social", _("Social services")
    HEALTH = "health", _("Health")
    CULTURE = "culture", _("Culture and heritage")
    SPORT = "sport", _("Sport and leisure")
    ECONOMY = "economy", _("Local economy")
    FINANCE = "finance", _("Budget and finance")
    SAFETY = "safety", _("Safety")
    DIGITAL = "digital", _("Digital services")
    GOVERNANCE = "governance", _("Local democracy and governance")
