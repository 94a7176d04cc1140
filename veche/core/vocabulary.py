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


class MethodChoices(models.TextChoices):
    """Ways of involving residents. Practitioners say which they know, cases on the map which they used, and module
    apps which one a finished process was (participation.registry.CaseSummary.methods)."""

    CONSULTATION = "consultation", _("Public consultation")
    PARTICIPATORY_BUDGETING = "participatory_budgeting", _("Participatory budgeting")
    CITIZENS_PANEL = "citizens_panel", _("Citizens' panel or assembly")
    CITIZENS_INITIATIVE = "citizens_initiative", _("Citizens' legislative initiative")
    VILLAGE_FUND = "village_fund", _("Village fund")
    REFERENDUM = "referendum", _("Local referendum")
    PLANNING_WORKSHOP = "planning_workshop", _("Participatory planning workshops")
    PUBLIC_DIALOGUE = "public_dialogue", _("Public dialogue")
    YOUTH_PARTICIPATION = "youth_participation", _("Youth participation")
    SURVEY = "survey", _("Survey or poll")
    PUBLIC_MEETING = "public_meeting", _("Public meeting")
    CONSULTATION_WALK = "consultation_walk", _("Consultation walk")
    EVALUATION = "evaluation", _("Evaluation of participation")
