"""Stored tsvectors for the directory search: matching reads them instead of parsing each candidate's text again.

On PostgreSQL: fill the vectors from the documents, index them with GIN, and drop the expression indexes of 0003
(the search no longer uses them). Elsewhere the columns stay empty.
"""

import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models


LEVELS = ("public", "members", "coordinators")
TABLE = "network_practitionerprofile"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    assignments = ", ".join(
        f"vector_{level} = to_tsvector('simple'::regconfig, COALESCE(search_{level}, ''))" for level in LEVELS
    )
    schema_editor.execute(f"UPDATE {TABLE} SET {assignments}")  # noqa: S608 — fixed names, no input
    for level in LEVELS:
        schema_editor.execute(f"DROP INDEX IF EXISTS practitioner_search_{level}_fts")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS practitioner_vector_{level} ON {TABLE} USING gin (vector_{level})"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for level in LEVELS:
        schema_editor.execute(f"DROP INDEX IF EXISTS practitioner_vector_{level}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS practitioner_search_{level}_fts ON {TABLE} "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE(search_{level}, '')))"
        )



class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_seed_methods'),
        ('network', '0003_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='practitionerprofile',
            name='vector_coordinators',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='practitionerprofile',
            name='vector_members',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='practitionerprofile',
            name='vector_public',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='practitionerprofile',
            index=models.Index(fields=['-updated_at', '-id'], name='practitioner_recent'),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
