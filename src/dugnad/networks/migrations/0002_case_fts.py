"""SQLite only: the FTS5 table of good-practice cases (stemmed Norwegian text); PostgreSQL searches the columns directly."""

from django.db import migrations

CREATE = ("CREATE VIRTUAL TABLE IF NOT EXISTS networks_case_fts USING fts5("
          "title, summary, results, keywords, tokenize='unicode61 remove_diacritics 0')")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS networks_case_fts")


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
