"""Seed the shared topics (veche.core.vocabulary.TopicChoices); their names come from the catalogues."""

from django.db import migrations

SLUGS = [
    "urban_planning",
    "public_space",
    "transport",
    "climate",
    "revitalisation",
    "housing",
    "education",
    "youth",
    "seniors",
    "social",
    "health",
    "culture",
    "sport",
    "economy",
    "finance",
    "safety",
    "digital",
    "governance",
]


def seed(apps, schema_editor):
    Topic = apps.get_model("core", "Topic")
    for weight, slug in enumerate(SLUGS):
        Topic.objects.update_or_create(slug=slug, defaults={"weight": weight})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
