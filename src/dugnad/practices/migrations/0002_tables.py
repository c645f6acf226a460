"""Rename the library's tables from ``networks_*`` to ``practices_*`` (rows kept), with the search side tables.

SQLite keeps an FTS5 table (``practices_case_fts``), PostgreSQL a tsvector table with a GIN index
(``practices_case_tsv``); each is renamed on its own database only.
"""

from django.db import migrations

#: (vendor, old name, new name, kind) of the raw search objects.
SEARCH_OBJECTS = (
    ("sqlite", "networks_case_fts", "practices_case_fts", "TABLE"),
    ("postgresql", "networks_case_tsv", "practices_case_tsv", "TABLE"),
    ("postgresql", "networks_case_tsv_gin", "practices_case_tsv_gin", "INDEX"),
)


def _rename(schema_editor, forward: bool) -> None:
    quote = schema_editor.quote_name
    for vendor, old, new, kind in SEARCH_OBJECTS:
        if schema_editor.connection.vendor == vendor:
            source, target = (old, new) if forward else (new, old)
            schema_editor.execute(f"ALTER {kind} {quote(source)} RENAME TO {quote(target)}")


def forwards(apps, schema_editor):
    """Rename the search side tables to the app's names; the models' content types follow them."""
    _rename(schema_editor, forward=True)
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("practicecase", "caseevidence"):
        if not content_type.objects.filter(app_label="practices", model=model).exists():
            content_type.objects.filter(app_label="networks", model=model).update(app_label="practices")


def backwards(apps, schema_editor):
    """Give the search side tables their old names back."""
    _rename(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0001_initial"),
        ("networks", "0004_practices_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="practicecase", table=None),
        migrations.AlterModelTable(name="caseevidence", table=None),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
