"""The rounds CLI (list, status as CSV) and reminder e-mails."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from tests.factories import round_national, submission_of, world_build
from typer.testing import CliRunner

from dugnad.cli.main import app
from dugnad.rounds.reminders import round_remind
from dugnad.rounds.services import round_close, submission_submit

pytestmark = pytest.mark.django_db


def test_rounds_list_and_status_as_csv():
    w = world_build()
    round_ = round_national(w)
    submission_submit(user=w.users["bergen"], submission=submission_of(round_, "4601"), confirm_incomplete=True)
    runner = CliRunner()
    listed = runner.invoke(app, ["rounds", "list", "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert rows[0]["id"] == str(round_.pk) and rows[0]["submitted"] == "1" and rows[0]["draft"] == "5"
    status = runner.invoke(app, ["rounds", "status", str(round_.pk), "--format", "csv"])
    assert status.exit_code == 0, status.output
    rows = list(csv.DictReader(io.StringIO(status.stdout)))
    assert [(r["unit"], r["name"], r["level"], r["county"], r["status"]) for r in rows] == [
        ("0", "Norge", "country", "", "draft"), ("03", "Oslo fylke", "county", "03", "draft"),
        ("46", "Vestland", "county", "46", "draft"), ("0301", "Oslo", "municipality", "03", "draft"),
        ("4601", "Bergen", "municipality", "46", "submitted"), ("4602", "Kinn", "municipality", "46", "draft")]
    missing = runner.invoke(app, ["rounds", "status", "999999"])
    assert missing.exit_code == 1


def test_reminders_go_to_editors_of_units_that_have_not_submitted():
    w = world_build()
    w.users["oslo"].email = "oslo@example.org"
    w.users["oslo"].save()
    w.users["bergen"].email = "bergen@example.org"
    w.users["bergen"].save()
    round_ = round_national(w, deadline=dt.date(2026, 1, 10))
    submission_submit(user=w.users["bergen"], submission=submission_of(round_, "4601"), confirm_incomplete=True)
    result = round_remind(round_=round_, today=dt.date(2026, 1, 7))
    assert result.sent == 1 and result.units == ["0301"] and result.without_address == ["03", "46", "4602"]
    assert mail.outbox[0].to == ["oslo@example.org"] and "om 3 dager" in mail.outbox[0].body
    round_close(user=w.users["ks"], round_=round_, confirmation=round_.title)
    assert round_remind(round_=round_).sent == 0


def test_rounds_remind_command_prints_a_summary():
    w = world_build()
    round_ = round_national(w)
    result = CliRunner().invoke(app, ["rounds", "remind", str(round_.pk)])
    assert result.exit_code == 0 and "påminnelser" in result.stdout
