"""Seed the shared participation methods (veche.core.vocabulary.MethodChoices); names come from the catalogues."""

from django.db import migrations

SLUGS = [
    "consultation",
    "participatory_budgeting",
    "citizens_panel",
    "citizens_initiative",
    "village_fund",
    "referendum",
    "planning_workshop",
    "public_dialogue",
    "youth_participation",
    "survey",
    "public_meeting",
    "consultation_walk",
    "evaluation",
]


def seed(apps, schema_editor):
    Method = apps.get_model("core", "Method")
    for weight, slug in enumerate(SLUGS):
        Method.objects.update_or_create(slug=slug, defaults={"weight": weight})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_method")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
