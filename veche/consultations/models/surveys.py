"""A consultation's survey: questions of seven kinds, their options, and residents' responses.

One response per participant (unique constraint); answers are rows per question. A text answer is also a
Contribution (kind survey_answer), so that it gets an official response and appears in the report like every other
voice; choice answers are only ever counted. Demographic answers are not here: they live on Participant, asked once
per consultation, and leave the app only as suppressed aggregate counts (services/surveys.demographics_summary).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veche.consultations.survey_engine.spec import Kind


class QuestionKind(models.TextChoices):
    SINGLE = Kind.SINGLE.value, _("Single choice")
    MULTIPLE = Kind.MULTIPLE.value, _("Multiple choice")
    SCALE = Kind.SCALE.value, _("Scale")
    SHORT_TEXT = Kind.SHORT_TEXT.value, _("Short text")
    LONG_TEXT = Kind.LONG_TEXT.value, _("Long text")
    RANKING = Kind.RANKING.value, _("Ranking")
    MAP_POINT = Kind.MAP_POINT.value, _("Point on a map")


class ResultsVisibility(models.TextChoices):
    AFTER_CLOSE = "after_close", _("Public once the consultation has closed")
    LIVE = "live", _("Public while answers come in")
    STAFF = "staff", _("Only for the organisation's staff (and in the report)")


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form")


class Survey(models.Model):
    consultation = models.OneToOneField(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="survey", verbose_name=_("consultation")
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("What the survey is for and how long it takes, in a few words.")
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Residents see the survey and can answer it in the open phase.")
    )
    ask_demographics = models.BooleanField(
        _("ask about age, gender and district"),
        default=False,
        help_text=_(
            "Asked once per consultation, always optional, and only ever shown in aggregate with small groups hidden."
        ),
    )
    districts = models.JSONField(
        _("districts"),
        default=list,
        blank=True,
        help_text=_("Districts residents choose from when asked where they live; one per line in the form."),
    )
    results_visibility = models.CharField(
        _("results"), max_length=12, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_CLOSE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    weight = models.PositiveIntegerField(_("order"), default=0)
    scale_min = models.SmallIntegerField(_("lowest value"), default=1)
    scale_max = models.SmallIntegerField(_("highest value"), default=5)
    scale_min_label = models.CharField(_("label of the lowest value"), max_length=80, blank=True)
    scale_max_label = models.CharField(_("label of the highest value"), max_length=80, blank=True)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many choices"), null=True, blank=True, help_text=_("Multiple choice: empty for no limit.")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["weight", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_min__lt=models.F("scale_max")), name="question_scale_order"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)

    @property
    def is_text(self) -> bool:
        return self.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)

    @property
    def scale_steps(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    text = models.CharField(_("option"), max_length=300)
    weight = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One resident's answers. Online: exactly one per participant. From a paper form: no participant, typed in by
    staff (recorded_by)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    participant = models.ForeignKey(
        "consultations.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("participant"),
    )
    channel = models.CharField(
        _("channel"), max_length=12, choices=ResponseChannel.choices, default=ResponseChannel.ONLINE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant"],
                condition=Q(participant__isnull=False),
                name="unique_survey_response_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class SurveyAnswer(models.Model):
    """The answer to one question. choices: option ids (single: one; multiple: the chosen ones; ranking: all of them
    from first to last); number: the scale value; text; latitude/longitude: a map point. A text answer is also a
    Contribution (contribution)."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    choices = models.JSONField(_("chosen options"), default=list, blank=True)
    number = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    contribution = models.OneToOneField(
        "consultations.Contribution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_answer",
        verbose_name=_("contribution"),
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="unique_survey_answer_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.text or self.choices or self.number}"
