"""A trigram index on the child's normalised names, so partial-name search stays fast on a large
authority. PostgreSQL only; SQLite (the quick start) searches the same column without it."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS child_search_names_trgm ON cases_child USING gin (search_names gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS child_search_names_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_children_referrals_cases")]
    operations = [migrations.RunPython(create, drop)]
