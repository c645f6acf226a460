"""Safe by default: debug off, a private generated key, a clean deploy check, friendly error pages in the visitor's
language, sign-in lockout (429, audited), strong passwords and the health endpoint."""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from dugnad.config.secret import secret_key
from dugnad.demo.accounts import DEMO_USERS
from dugnad.operations.errors import server_error
from dugnad.operations.heartbeat import heartbeat_write
from dugnad.rounds.models import AuditEntry
from tests.factories import PASSWORD, world_build

ROOT = Path(__file__).resolve().parents[2]
HUGE = "99999999999999999999999"


def settings_in_a_fresh_process(tmp_path, **env) -> dict:
    """DEBUG, the secret key file's mode and the deploy check's output, in a new process with only the given env."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DUGNAD_", "DJANGO_"))}
    clean |= {"DUGNAD_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", **env}
    code = ("import django, json, os; django.setup(); from django.conf import settings; "
            "print(json.dumps({'debug': settings.DEBUG, 'key': settings.SECRET_KEY}))")
    out = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True).stdout
    check = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"], env=clean,
                           capture_output=True, text=True, check=False)
    return {**json.loads(out), "check": check.returncode, "check_output": check.stdout + check.stderr}


def production_env() -> dict[str, str]:
    """The production settings of deploy/dugnad.env (the file the deployment guide tells you to copy)."""
    lines = (ROOT / "deploy" / "dugnad.env").read_text(encoding="utf-8").splitlines()
    pairs = dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    pairs["DUGNAD_SECRET_KEY"] = secrets.token_urlsafe(64)  # the guide says to generate one
    pairs.pop("DUGNAD_DATABASE_URL", None)
    pairs.pop("DUGNAD_DATA_DIR", None)
    return pairs


def test_debug_is_off_and_the_secret_key_is_generated_once_and_private(tmp_path):
    first = settings_in_a_fresh_process(tmp_path)
    assert first["debug"] is False
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first["key"] and len(first["key"]) >= 50
    assert settings_in_a_fresh_process(tmp_path)["key"] == first["key"]
    assert settings_in_a_fresh_process(tmp_path / "other")["key"] != first["key"]


def test_the_deploy_check_is_clean_with_the_documented_production_settings(tmp_path):
    result = settings_in_a_fresh_process(tmp_path, **production_env())
    assert result["check"] == 0, result["check_output"]
    unsafe = settings_in_a_fresh_process(tmp_path, DUGNAD_DEBUG="1")  # and the check does catch unsafe settings
    assert unsafe["check"] != 0 and "security.W018" in unsafe["check_output"]


def test_the_configured_key_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DUGNAD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUGNAD_SECRET_KEY", "k" * 60)
    assert secret_key() == "k" * 60 and not (tmp_path / "secret_key").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "title"), [("nb", "Ugyldig forespørsel"), ("nn", "Ugyldig førespurnad"),
                                             ("en", "Bad request")])
def test_malformed_input_gets_a_400_page_in_the_layout_and_language(client, lang, title):
    client.cookies["django_language"] = lang
    response = client.get(reverse("action-catalogue"), {"mal": HUGE})
    page = response.content.decode()
    assert response.status_code == 400
    assert f"<title>{title} – Dugnad</title>" in page and 'class="dg-header"' in page and "«mal»" in page
    assert "Traceback" not in page and "SECRET" not in page and "csrfmiddlewaretoken" in page


@pytest.mark.django_db
def test_404_is_friendly_and_lists_no_url_patterns(client):
    response = client.get("/finnes-ikke/")
    page = response.content.decode()
    assert response.status_code == 404 and "Siden finnes ikke" in page and "innleveringer/" not in page
    api = client.get("/api/finnes-ikke")
    assert api.status_code == 404 and isinstance(api.json()["detail"], str)


@pytest.mark.django_db
def test_a_server_error_page_shows_no_traceback_even_without_a_database(monkeypatch):
    from django.template import loader

    render = loader.render_to_string

    def without_database(name, context=None, request=None):
        if request is not None:  # the layout's context processors query the database: it is down
            raise ConnectionError("database down")
        return render(name, context)

    monkeypatch.setattr(loader, "render_to_string", without_database)
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Noe gikk galt" in page and "ZeroDivisionError" not in page


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_user_out_with_429_and_an_audit_entry(client, settings):
    world_build()
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": "bergen", "password": "wrong-password"}).status_code == 200
    locked = client.post(url, {"username": "bergen", "password": "wrong-password"})
    assert locked.status_code == 429 and locked["Retry-After"] == str(15 * 60)
    assert "Vent 15 minutter" in locked.content.decode()
    right = Client().post(url, {"username": "bergen", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert right.status_code == 429  # the user name is locked from every address
    entry = AuditEntry.objects.filter(action="login_locked_out").first()
    assert entry is not None and entry.after["username"] == "bergen"


@pytest.mark.django_db
def test_one_address_trying_many_user_names_is_locked_out(settings):
    world_build()
    client = Client(REMOTE_ADDR="10.1.2.3")
    statuses = [client.post(reverse("login"), {"username": f"guess{i}", "password": "x" * 12}).status_code
                for i in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert statuses[-1] == 429
    assert Client(REMOTE_ADDR="10.1.2.4").post(reverse("login"), {"username": "bergen", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["password", "12345678", "qwertyui", "bergen12", "kort-pass"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak, get_user_model()(username="bergen"))


@pytest.mark.django_db
def test_the_demo_passwords_satisfy_the_validators():
    from dugnad.demo.accounts import demo_users_ensure
    from dugnad.units.services import registry_load_snapshot

    registry_load_snapshot()
    logins = demo_users_ensure()
    assert len(logins) == len(DEMO_USERS)
    for login in logins:
        validate_password(login.password, get_user_model().objects.get(username=login.username))
        assert Client().login(username=login.username, password=login.password)


@pytest.mark.django_db
def test_health_reports_the_database_and_the_worker_heartbeat(client, monkeypatch):
    monkeypatch.setattr("dugnad.operations.health.heartbeat_age", lambda: None)
    answer = client.get("/health/")
    assert answer.status_code == 200 and answer.json()["status"] == "degraded"
    assert answer.json()["checks"]["database"] == {"ok": True}
    monkeypatch.undo()
    heartbeat_write("test-worker")
    assert client.get("/health/").json()["status"] == "ok"
    monkeypatch.setenv("DUGNAD_WORKER_STALE_SECONDS", "-1")
    assert client.get("/health/").json()["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    class Broken:
        def cursor(self):
            raise ConnectionError("refused")

    monkeypatch.setattr("dugnad.operations.health.connection", Broken())
    answer = client.get("/health/")
    assert answer.status_code == 503 and answer.json()["status"] == "down"
    assert re.fullmatch(r"\w+", answer.json()["checks"]["database"]["error"])  # the kind of error, no details


@pytest.mark.django_db
def test_a_nul_character_in_a_form_or_query_is_a_400_naming_the_field(client):
    from dugnad.rounds.models import Narrative
    from tests.factories import round_national, submission_of

    w = world_build()
    sub = submission_of(round_national(w), "4601")
    client.force_login(w.users["bergen"])
    response = client.post(reverse("submission-narrative", args=[sub.pk]),
                           {"key": "chapter:opening", "text": "før\x00etter", "version": "0"})
    assert response.status_code == 400 and "«text»" in response.content.decode()
    assert not Narrative.objects.exists()
    assert client.get(reverse("practice-search"), {"q": "a\x00b"}).status_code == 400


@pytest.mark.django_db
def test_a_very_long_user_name_is_a_failed_sign_in_not_a_server_error():
    world_build()
    response = Client().post(reverse("login"), {"username": "x" * 5000, "password": "y" * 5000})
    assert response.status_code == 200 and "Feil brukernavn eller passord" in response.content.decode()
