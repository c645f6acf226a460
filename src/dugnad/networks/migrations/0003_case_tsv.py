"""PostgreSQL only: a side table of weighted ``norwegian`` tsvectors of good-practice cases with a GIN index."""

from django.db import migrations

CREATE = [
    "CREATE TABLE IF NOT EXISTS networks_case_tsv (case_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS networks_case_tsv_gin ON networks_case_tsv USING GIN (vector)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS networks_case_tsv")


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_case_fts")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
