"""Every model change has its migration: a merge that adds a choice or a label without one fails here."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check exited {exit_.code}: a model change has no migration:\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
