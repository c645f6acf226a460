"""`dugnad backup` and `dugnad restore`: the round trip gives back every row exactly, the files and a working search."""

from __future__ import annotations

import hashlib
import tarfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from dugnad.cli.main import app
from dugnad.env import data_dir
from dugnad.operations.backup import backup_create, backup_restore
from dugnad.operations.databases import BackupError
from dugnad.publications.services import publication_generate, publication_request
from dugnad.units.services import population_load_snapshot, registry_load_snapshot
from tests.demo_database import demo_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
#: Models whose rows must come back exactly (looked up by name, wherever they live).
MODELS = ("Observation", "ImportRun", "Round", "Submission", "Narrative", "SurveyAnswer", "Snapshot", "AuditEntry",
          "User", "Membership", "Action", "ActionPartner", "Milestone", "Network", "PracticeCase", "Publication")
SEARCH = ("skole", "klima og utslipp", "folkehelse")


def search_ids() -> list[list[int]]:
    """Case ids found for a few Norwegian queries (through whichever search backend the database has)."""
    from dugnad.practices.selectors import practices_search

    return [[hit.case.pk for hit in practices_search(q).hits] for q in SEARCH]


def fingerprint(runner: CliRunner, tmp_path) -> dict:
    """Everything a restore must give back: the CSV export, every row of the models above, the files, search hits."""
    by_name = {m.__name__: m for m in apps.get_models()}
    out = tmp_path / "export.csv"
    assert runner.invoke(app, ["export", "csv", "--out", str(out)]).exit_code == 0
    files = {p.relative_to(data_dir()).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in (data_dir() / "publications").rglob("*") if p.is_file()}
    return {"export": out.read_bytes(), "files": files, "search": search_ids(),
            **{name: list(by_name[name].objects.order_by("pk").values()) for name in MODELS}}


def test_backup_and_restore_give_back_every_row_exactly_the_files_and_search(tmp_path):
    # starts without files an earlier test left in the data directory (tests/conftest.py: _no_leftovers)
    demo_database()
    admin = get_user_model().objects.get(username="admin")
    round_ = apps.get_model("rounds", "Round").objects.get()
    bergen = apps.get_model("units", "Unit").objects.current().get(code="4601")
    publication_generate(publication=publication_request(user=admin, kind="vlr", round_=round_, unit=bergen, fmt="html"))
    runner = CliRunner()
    before = fingerprint(runner, tmp_path)
    assert before["files"] and all(before["search"]) and any(r["recorded_at"].microsecond for r in before["Observation"])

    archive = tmp_path / "backup.tar"
    result = runner.invoke(app, ["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "manifest.json" in names and names & {"database.sqlite3", "database.pgdump"}
    assert any(name.startswith("files/publications/vlr-4601-") for name in names)

    apps.get_model("observations", "Observation").objects.filter(unit=bergen).delete()
    apps.get_model("rounds", "Narrative").objects.all().delete()
    admin.set_password("another-long-password-42")
    admin.save()
    for path in (data_dir() / "publications").iterdir():
        path.unlink()
    assert fingerprint(runner, tmp_path) != before

    result = runner.invoke(app, ["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    after = fingerprint(runner, tmp_path)
    assert {k: v for k, v in after.items() if v != before[k]} == {}


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path):
    registry_load_snapshot()
    population_load_snapshot()
    archive = backup_create(out=tmp_path / "backup.tar").path
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF  # flip one byte inside the database copy
    archive.write_bytes(bytes(data))
    units = apps.get_model("units", "Unit").objects.count()
    with pytest.raises(BackupError, match=r"damaged|not a Dugnad backup"):
        backup_restore(path=archive)
    assert apps.get_model("units", "Unit").objects.count() == units
