"""The test database a worker copied from the run's template (``tests/database_template.py``) is the migrated one:
every migration recorded as applied and the schema its models need (``tests/test_isolation.py`` checks the search
side tables). Whichever worker runs this module, its database is the first worker's or a copy of it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db


def test_every_migration_is_applied_and_every_model_table_exists():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    tables = set(connection.introspection.table_names())
    assert set(connection.introspection.django_table_names(include_views=False)) <= tables
