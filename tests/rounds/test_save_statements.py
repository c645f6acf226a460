"""The grid save's hand-written statements write and read exactly what the ORM would: every column of the run, the
revisions and the audit entry; all or nothing; the closed round refused; the save's selectors like the ORM's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from tests.factories import round_national, submission_of, world_build

from dugnad.observations.models import ImportRun, Observation
from dugnad.rounds import editing
from dugnad.rounds.editing import submission_value_save
from dugnad.rounds.models import AuditEntry
from dugnad.rounds.selectors import round_indicator_get, submission_for_save, submission_get
from dugnad.rounds.services import round_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def bergen():
    w = world_build()
    round_ = round_national(w)
    return w, round_, submission_of(round_, "4601")


def _recent(moment) -> bool:
    return moment is not None and timezone.is_aware(moment) and abs(timezone.now() - moment) < dt.timedelta(minutes=5)


def test_two_saves_write_every_column_of_the_runs_revisions_and_audit_entries(bergen):
    w, round_, sub = bergen
    ind = w.indicators[0]
    user = w.users["bergen"]
    first = submission_value_save(user=user, submission=sub, indicator=ind, period="2024", text="12,5",
                                  expected_revision=0)
    second = submission_value_save(user=user, submission=sub, indicator=ind, period="2024", text="",
                                   expected_revision=1)
    rows = list(Observation.objects.filter(unit=sub.unit, indicator=ind, period="2024").order_by("revision"))
    assert [(o.pk, o.value, o.status, o.revision, o.is_current, o.dimension_key, o.dimensions) for o in rows] == [
        (first.pk, 12.5, "ok", 1, False, "", {}), (second.pk, None, "missing", 2, True, "", {})]
    assert all(_recent(o.recorded_at) for o in rows)
    runs = [o.import_run for o in rows]
    assert [r.pk for r in runs] == [first.import_run.pk, second.import_run.pk]
    for run, (inserted, revised) in zip(runs, [(1, 0), (0, 1)], strict=True):
        assert (run.kind, run.source, run.checksum, run.status, run.user, run.rows_total, run.rows_inserted,
                run.rows_revised, run.rows_unchanged, run.report, run.is_demo) == (
            "web", f"innlevering {sub.pk}", "", "ok", user, 1, inserted, revised, 0, {}, False)
        assert run.provenance == {"cell": f"4601/{ind.framework.code}:{ind.code}/2024"}
        assert _recent(run.started_at) and _recent(run.finished_at)
    entries = list(AuditEntry.objects.filter(action="value_save").order_by("id"))
    assert [(e.user, e.object_type, e.object_key, e.round_id, e.submission_id, e.before, e.after) for e in entries] == [
        (user, "value", f"4601/{ind.code}/2024", round_.pk, sub.pk, None,
         {"value": 12.5, "status": "ok", "revision": 1}),
        (user, "value", f"4601/{ind.code}/2024", round_.pk, sub.pk, {"value": 12.5, "status": "ok", "revision": 1},
         {"value": None, "status": "missing", "revision": 2})]
    assert all(_recent(e.at) for e in entries)


def test_a_save_whose_audit_entry_fails_leaves_nothing(bergen, monkeypatch):
    w, _round, sub = bergen

    def broken(**kwargs):
        raise RuntimeError("the audit insert failed")

    monkeypatch.setattr(editing, "audit_record", broken)
    with pytest.raises(RuntimeError):
        submission_value_save(user=w.users["bergen"], submission=sub, indicator=w.indicators[0], period="2025",
                              text="3", expected_revision=0)
    assert not Observation.objects.exists() and not ImportRun.objects.filter(kind="web").exists()


def test_a_closed_round_refuses_a_value_and_writes_nothing():
    w = world_build()
    round_ = round_national(w, deadline=dt.date.today())
    sub = submission_of(round_, "4601")
    round_close(user=w.users["ks"], round_=round_, confirmation=round_.title)
    with pytest.raises(PermissionDenied):
        submission_value_save(user=w.users["bergen"], submission=submission_for_save(sub.pk),
                              indicator=round_indicator_get(round_.pk, w.indicators[0].pk), period="2025", text="1",
                              expected_revision=0)
    assert not Observation.objects.exists()
    assert not AuditEntry.objects.filter(action="value_save").exists()


def test_the_saves_selectors_read_what_the_orm_reads(bergen):
    w, round_, sub = bergen
    light, full = submission_for_save(sub.pk), submission_get(sub.pk)
    assert (light.pk, light.round_id, light.state, light.version) == (full.pk, full.round_id, full.state, full.version)
    unit = light.unit
    assert (unit.pk, unit.code, unit.name, unit.level.code, unit.level.name_nb, unit.level.rank, unit.parent_id,
            unit.parent.code, unit.parent.parent_id) == (
        full.unit.pk, full.unit.code, full.unit.name, full.unit.level.code, full.unit.level.name_nb,
        full.unit.level.rank, full.unit.parent_id, full.unit.parent.code, full.unit.parent.parent_id)
    assert submission_for_save(sub.pk + 10_000) is None
    assert submission_for_save(10 ** 30) is None and submission_for_save("abc") is None
    ind = w.indicators[0]
    found = round_indicator_get(round_.pk, ind.pk)
    assert (found.pk, found.code, found.framework.code, found.in_rounds, found.unit_of_measure) == (
        ind.pk, ind.code, ind.framework.code, {round_.pk: True}, ind.unit_of_measure)
    assert round_indicator_get(round_.pk, 10 ** 30) is None and round_indicator_get(round_.pk, "x") is None


def test_a_save_as_a_reader_is_refused(bergen):
    w, round_, sub = bergen
    with pytest.raises(PermissionDenied):
        submission_value_save(user=w.users["bergen-leser"], submission=submission_for_save(sub.pk),
                              indicator=round_indicator_get(round_.pk, w.indicators[0].pk), period="2025", text="1",
                              expected_revision=0)
    assert not Observation.objects.exists()
