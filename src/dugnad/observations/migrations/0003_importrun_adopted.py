"""ImportRun moves from the imports app to observations: the model state only; its table stays as it is."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('imports', '0001_initial'),
        ('observations', '0002_fk_indexes_covered_by_composites'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(help_text='csv, xlsx, ssb, demo …', max_length=30)),
                        ('source', models.CharField(help_text='File name or URL.', max_length=1000)),
                        ('checksum', models.CharField(blank=True, help_text='SHA-256 of the input.', max_length=64)),
                        ('status', models.CharField(choices=[('running', 'Pågår'), ('ok', 'Fullført'), ('noop', 'Ingen endringer'), ('failed', 'Avvist')], default='running', max_length=10)),
                        ('started_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('rows_total', models.PositiveIntegerField(default=0)),
                        ('rows_inserted', models.PositiveIntegerField(default=0)),
                        ('rows_revised', models.PositiveIntegerField(default=0)),
                        ('rows_unchanged', models.PositiveIntegerField(default=0)),
                        ('provenance', models.JSONField(blank=True, default=dict, help_text='Table id, updated, URL, retrieval time …')),
                        ('report', models.JSONField(blank=True, default=dict, help_text='The validation report (see analytics.report).')),
                        ('is_demo', models.BooleanField(default=False, help_text='Demo data – not real figures.')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'imports_importrun',
                        'ordering': ['-started_at'],
                    },
                ),
                migrations.AlterField(
                    model_name='observation',
                    name='import_run',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='observations.importrun'),
                ),
            ],
            database_operations=[],
        ),
    ]
