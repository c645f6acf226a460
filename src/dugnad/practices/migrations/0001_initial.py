"""The good-practice library moves here from ``networks``: the models enter this app's state on their old tables.

No table is touched here; ``networks.0004_practices_moved`` drops the models from the networks state and
``0002_tables`` renames the tables (and the search side tables) to this app's names.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("networks", "0003_case_tsv"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='PracticeCase',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=300)),
                    ('summary', models.TextField(help_text='What was done.')),
                    ('results', models.TextField(blank=True, help_text='What came of it.')),
                    ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                    ('contact_name', models.CharField(blank=True, max_length=200)),
                    ('contact_email', models.EmailField(blank=True, max_length=254)),
                    ('tags', models.JSONField(blank=True, default=list, help_text='Free keywords, in Norwegian.')),
                    ('keywords', models.TextField(blank=True, editable=False, help_text='Tags, place and targets as text, kept by the services for search.')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('is_demo', models.BooleanField(default=False)),
                    ('action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cases', to='actions.action')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='actions.organisation')),
                    ('targets', models.ManyToManyField(blank=True, related_name='practice_cases', to='catalogue.target')),
                    ('unit', models.ForeignKey(blank=True, help_text='Where it was done.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='practice_cases', to='units.unit')),
                ],
                options={
                    'ordering': ['title'],
                    'db_table': 'networks_practicecase',
                },
            ),
            migrations.CreateModel(
                name='CaseEvidence',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('before_period', models.CharField(max_length=20)),
                    ('before_value', models.FloatField()),
                    ('after_period', models.CharField(max_length=20)),
                    ('after_value', models.FloatField()),
                    ('note', models.CharField(blank=True, max_length=300)),
                    ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.indicator')),
                    ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='practices.practicecase')),
                ],
                options={
                    'db_table': 'networks_caseevidence',
                },
            ),
        ]),
    ]
