"""Processes, their modules and the modules' phases. What a module is made of comes from the module-type registry;
when a phase is active comes from phases.py — these models only hold the data and delegate."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from veche.core.models import TimeStampedModel
from veche.participation import phases as timeline
from veche.participation.querysets import ProcessQuerySet
from veche.participation.registry import ModuleType, find_module_type


class Process(TimeStampedModel):
    """A municipality's consultation, budget, dialogue or panel. Title and summary are stored per language."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("A few plain sentences: what is decided and how."))
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="unique_process_slug")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Needs the organisation loaded (select_related) to stay query-free."""
        return reverse("participation:detail", kwargs={"org_slug": self.organisation.slug, "slug": self.slug})

    def spans(self) -> list[timeline.Span]:
        """All phases of all modules, from prefetched modules and phases."""
        return [phase.span for module in self.modules.all() for phase in module.phases.all()]

    def state(self, now: datetime | None = None) -> timeline.PhaseState:
        return timeline.timeline_state(self.spans(), now or timezone.now())

    @property
    def current_state(self) -> timeline.PhaseState:
        """The state now, for templates (needs modules and phases prefetched: for_list_page, for_detail_page)."""
        return self.state()


class Module(models.Model):
    """One participation module of a process (a consultation, a budget …); module_type names its registered type."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="modules", verbose_name=_("process"))
    module_type = models.CharField(_("module type"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["weight", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def type(self) -> ModuleType | None:
        """The registered module type, or None when its app is no longer installed."""
        return find_module_type(self.module_type)

    @property
    def type_name(self) -> str | Promise:
        module_type = self.type
        return module_type.name if module_type else self.module_type

    def spans(self) -> list[timeline.Span]:
        """The timeline from prefetched phases (prefetch_related("phases") to keep this query-free)."""
        return [phase.span for phase in self.phases.all()]

    def current_phase(self, now: datetime | None = None) -> Phase | None:
        span = timeline.current_phase(self.spans(), now or timezone.now())
        return self._phase_for(span)

    def next_phase(self, now: datetime | None = None) -> Phase | None:
        span = timeline.next_phase(self.spans(), now or timezone.now())
        return self._phase_for(span)

    def state(self, now: datetime | None = None) -> timeline.PhaseState:
        return timeline.timeline_state(self.spans(), now or timezone.now())

    def active_features(self, now: datetime | None = None) -> frozenset[str]:
        module_type = self.type
        if module_type is None:
            return frozenset()
        return timeline.active_features(self.spans(), now or timezone.now(), module_type.features_by_phase)

    def allows(self, feature: str, now: datetime | None = None) -> bool:
        """Whether the phase active now switches feature on (e.g. "comment", "vote")."""
        return feature in self.active_features(now)

    def _phase_for(self, span: timeline.Span | None) -> Phase | None:
        if span is None:
            return None
        return next(phase for phase in self.phases.all() if phase.phase_type == span.key)


class Phase(models.Model):
    """A stretch of a module's timeline. Start is inclusive, end exclusive; no dates yet means not scheduled."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="phases", verbose_name=_("module"))
    phase_type = models.CharField(_("phase type"), max_length=50)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["weight", "id"]
        constraints = [
            models.UniqueConstraint(fields=["module", "phase_type"], name="unique_phase_type_per_module"),
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True, ends_at__isnull=True)
                | models.Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="phase_dates_both_and_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def span(self) -> timeline.Span:
        return timeline.Span(self.phase_type, self.starts_at, self.ends_at)

    @property
    def name(self) -> str | Promise:
        """The phase type's name, from the module type (needs the module loaded to stay query-free)."""
        module_type = find_module_type(self.module.module_type) if self.module_id else None
        phase_type = module_type.phase_type(self.phase_type) if module_type else None
        return phase_type.name if phase_type else self.phase_type

    def state(self, now: datetime | None = None) -> timeline.PhaseState:
        return timeline.state_at(self.span, now or timezone.now())
