"""The checked file of an upload lives only until the import or a cancel; abandoned ones go after a day."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import world_build

from dugnad.imports import upload as uploads
from dugnad.observations.models import Observation

pytestmark = pytest.mark.django_db
URL = "/enheter/4601/last-opp/"
GOOD = "unit,indicator,year,value\n4601,T-A,2024,12.5\n"


@pytest.fixture
def kept_dir(tmp_path, monkeypatch):
    directory = tmp_path / "dugnad-uploads"
    monkeypatch.setattr(uploads, "UPLOAD_DIR", directory)
    return directory


def check(client):
    return client.post(URL, {"file": SimpleUploadedFile("tall.csv", GOOD.encode(), content_type="text/csv")})


def files(directory):
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_the_checked_file_is_kept_privately_and_deleted_after_the_import(client, kept_dir):
    w = world_build()
    client.force_login(w.users["bergen"])
    assert check(client).status_code == 200
    [name] = files(kept_dir)
    assert (kept_dir / name).stat().st_mode & 0o777 == 0o600 and kept_dir.stat().st_mode & 0o777 == 0o700
    assert client.post(URL, {"confirm": "1"}).status_code == 302
    assert files(kept_dir) == [] and Observation.objects.filter(unit__code="4601").exists()


def test_cancelling_deletes_the_checked_file_and_imports_nothing(client, kept_dir):
    w = world_build()
    client.force_login(w.users["bergen"])
    page = check(client).content.decode()
    assert "Avbryt importen" in page and len(files(kept_dir)) == 1
    response = client.post(URL, {"cancel": "1"}, follow=True)
    assert "Importen er avbrutt" in response.content.decode()
    assert files(kept_dir) == [] and not Observation.objects.exists()
    assert client.post(URL, {"confirm": "1"}, follow=True).content.decode().count("ikke lenger tilgjengelig") == 1


def test_the_sweep_deletes_files_older_than_a_day_and_keeps_newer_ones(kept_dir):
    fresh, old = uploads.upload_keep(b"ny"), uploads.upload_keep(b"gammel")
    two_days_ago = time.time() - dt.timedelta(days=2).total_seconds()
    os.utime(kept_dir / old, (two_days_ago, two_days_ago))
    assert uploads.uploads_sweep() == 1
    assert files(kept_dir) == [fresh]
    assert uploads.upload_kept(fresh, uploads.sha256_hex(b"ny")) == b"ny"
    assert uploads.upload_kept("../etc", "x") is None


def test_keeping_a_new_file_sweeps_the_abandoned_ones(kept_dir):
    old = uploads.upload_keep(b"gammel")
    two_days_ago = time.time() - dt.timedelta(days=2).total_seconds()
    os.utime(kept_dir / old, (two_days_ago, two_days_ago))
    new = uploads.upload_keep(b"ny")
    assert files(kept_dir) == [new]
