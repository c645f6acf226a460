"""The score-run tables, adopted from the former ``dashboards`` app when a database already has them.

Until this rename the app was called ``dashboards`` (tables ``dashboards_*``). The models are created in
the migration state only; the database step then renames existing ``dashboards_*`` tables to
``scores_*`` (keeping every row, and the content types and permissions of the models) or, on a new
database, creates the tables.
"""

import django.db.models.deletion
from django.db import migrations, models

#: The models in creation order (run first: the others point at it).
MODELS = ("ScoreRun", "IndicatorScore", "GoalScore", "IndexScore")
OLD_LABEL = "dashboards"


def adopt_or_create(apps, schema_editor):
    """Rename the former app's tables when present (data kept), else create the tables."""
    tables = set(schema_editor.connection.introspection.table_names())
    for name in MODELS:
        model = apps.get_model("scores", name)
        old = f"{OLD_LABEL}_{name.lower()}"
        if old in tables:
            schema_editor.alter_db_table(model, old, model._meta.db_table)
        else:
            schema_editor.create_model(model)
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="scores").exists():
        content_type.objects.filter(app_label=OLD_LABEL).update(app_label="scores")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", [OLD_LABEL])


def drop(apps, schema_editor):
    """Remove the tables (unapplying the initial migration)."""
    for name in reversed(MODELS):
        schema_editor.delete_model(apps.get_model("scores", name))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalogue', '0001_initial'),
        ('units', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='ScoreRun',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('method', models.CharField(help_text='Registered scoring method, e.g. sdsn.', max_length=32)),
                    ('method_version', models.CharField(max_length=32)),
                    ('parameters', models.JSONField(default=dict, help_text='Every parameter given to the engine (year, coverage rule …).')),
                    ('year', models.PositiveSmallIntegerField(blank=True, help_text='Scored year; empty = latest available.', null=True)),
                    ('data_revision', models.CharField(help_text='SHA-256 of the observations (ids and revisions), specs and units that went in.', max_length=64)),
                    ('fingerprint', models.CharField(db_index=True, help_text='SHA-256 of method, version, parameters and data.', max_length=64)),
                    ('status', models.CharField(choices=[('running', 'Kjører'), ('done', 'Ferdig'), ('failed', 'Feilet')], default='running', max_length=8)),
                    ('units', models.PositiveIntegerField(default=0)),
                    ('indicators', models.PositiveIntegerField(default=0)),
                    ('observations', models.PositiveIntegerField(default=0)),
                    ('metadata', models.JSONField(blank=True, default=dict, help_text='Engine metadata: edition, notes, derived bounds.')),
                    ('error', models.TextField(blank=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                ],
                options={
                    'ordering': ['-created_at', '-pk'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'done')), fields=('fingerprint',), name='score_run_done_fingerprint_unique')],
                },
            ),
            migrations.CreateModel(
                name='IndicatorScore',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('goal', models.PositiveSmallIntegerField(null=True)),
                    ('year', models.PositiveSmallIntegerField(help_text='Year of the value used.', null=True)),
                    ('value', models.FloatField(null=True)),
                    ('score', models.FloatField(help_text='Normalised 0–100.', null=True)),
                    ('colour', models.CharField(blank=True, max_length=8)),
                    ('trend', models.CharField(blank=True, max_length=24)),
                    ('ratio', models.FloatField(help_text='Trend ratio achieved / needed.', null=True)),
                    ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.indicator')),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit')),
                    ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicator_scores', to='scores.scorerun')),
                ],
                options={
                    'indexes': [models.Index(fields=['run', 'indicator'], name='indicator_score_run_ind')],
                    'constraints': [models.UniqueConstraint(fields=('run', 'unit', 'indicator'), name='indicator_score_unique')],
                },
            ),
            migrations.CreateModel(
                name='IndexScore',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('score', models.FloatField(null=True)),
                    ('rank', models.PositiveIntegerField(null=True)),
                    ('missing_share', models.FloatField(help_text='Share of index indicators without data.', null=True)),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit')),
                    ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='index_scores', to='scores.scorerun')),
                ],
                options={
                    'ordering': ['rank'],
                    'constraints': [models.UniqueConstraint(fields=('run', 'unit'), name='index_score_unique')],
                },
            ),
            migrations.CreateModel(
                name='GoalScore',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('goal', models.PositiveSmallIntegerField()),
                    ('score', models.FloatField(null=True)),
                    ('colour', models.CharField(blank=True, max_length=8)),
                    ('trend', models.CharField(blank=True, max_length=24)),
                    ('imputed', models.BooleanField(default=False, help_text='The index used the group mean because the goal had no score.')),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit')),
                    ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goal_scores', to='scores.scorerun')),
                ],
                options={
                    'ordering': ['goal'],
                    'constraints': [models.UniqueConstraint(fields=('run', 'unit', 'goal'), name='goal_score_unique')],
                },
            ),
        ]),
        migrations.RunPython(adopt_or_create, drop, elidable=False),
    ]
