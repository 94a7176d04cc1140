"""Abstract bases shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Topic(models.Model):
    """A topic from the shared vocabulary (veche.core.vocabulary.TopicChoices). Rows exist so that apps can relate to
    topics with a plain ManyToManyField (forms, filters and prefetching as usual); the name comes from the
    translation catalogues, so every topic reads well in every language. The rows are seeded by a migration."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["weight", "slug"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        from veche.core.vocabulary import TopicChoices

        try:
            return str(TopicChoices(self.slug).label)
        except ValueError:
            return self.slug.replace("_", " ").capitalize()


class Method(models.Model):
    """A way of involving residents from the shared vocabulary (veche.core.vocabulary.MethodChoices); rows exist for
    ManyToManyFields, names come from the catalogues, like Topic. Seeded by a migration."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    weight = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("participation method")
        verbose_name_plural = _("participation methods")
        ordering = ["weight", "slug"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        from veche.core.vocabulary import MethodChoices

        try:
            return str(MethodChoices(self.slug).label)
        except ValueError:
            return self.slug.replace("_", " ").capitalize()
