"""Full-text indexes of the practitioners' directory, on PostgreSQL only.

One GIN expression index per search document, written exactly as veche.network.search queries it
(to_tsvector('simple', COALESCE(column, ''))), so the planner uses it; and a GIN index on the languages JSON for the
language filter (jsonb @>). SQLite has no GIN: the fallback search scans, which is fine at development sizes.
"""

from django.db import migrations

COLUMNS = ("search_public", "search_members", "search_coordinators")
TABLE = "network_practitionerprofile"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS practitioner_{column}_fts ON {TABLE} "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
        )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS practitioner_languages_gin ON {TABLE} USING gin (languages jsonb_path_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS practitioner_{column}_fts")
    schema_editor.execute("DROP INDEX IF EXISTS practitioner_languages_gin")


class Migration(migrations.Migration):
    dependencies = [("network", "0002_contact_sender_email")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
