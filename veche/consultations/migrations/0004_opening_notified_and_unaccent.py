"""When followers were told of the opening; and PostgreSQL's unaccent extension for accent-blind search, where the
database lets us install it (veche.consultations.search falls back to plain text search without it)."""

from django.db import DatabaseError, migrations, models, transaction


def install_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DatabaseError:  # not allowed for this database role: search works without it
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_responses"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="opening_notified_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Set when followers were notified that the consultation opened, so they hear it once.",
                null=True,
                verbose_name="followers told of the opening",
            ),
        ),
        migrations.RunPython(install_unaccent, migrations.RunPython.noop, elidable=True),
    ]
