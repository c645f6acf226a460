"""The ``dugnad score run`` command: prints the run id and whether the run was reused."""

from __future__ import annotations

import pytest
import typer
from tests.factories import build_tree
from typer.testing import CliRunner

from dugnad.cli import score as score_cli
from dugnad.scores.models import ScoreRun

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    app = typer.Typer()
    score_cli.register(app)
    app.command("noop", hidden=True)(lambda: None)  # keep "score" a subcommand of the test app
    return CliRunner().invoke(app, ["score", "run", *args])


def test_score_run_prints_the_run_id_and_reuses_it():
    build_tree()
    first = invoke("--year", "2024")
    assert first.exit_code == 0, first.output
    run = ScoreRun.objects.get()
    assert f"run_id={run.pk} reused=no" in first.stdout
    again = invoke("--year", "2024")
    assert f"run_id={run.pk} reused=yes" in again.stdout
    assert ScoreRun.objects.count() == 1


def test_score_run_rejects_an_unknown_method():
    result = invoke("--method", "astrology")
    assert result.exit_code == 1
    assert ScoreRun.objects.count() == 0
