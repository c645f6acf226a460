"""The good-practice cases moved to the ``practices`` app: drop them from this app's state (tables kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0003_case_tsv"),
        ("practices", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="CaseEvidence"),
            migrations.DeleteModel(name="PracticeCase"),
        ]),
    ]
