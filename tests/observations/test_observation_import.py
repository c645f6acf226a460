"""The observation import service: all-or-nothing, revisions, no-op re-imports and code resolution."""

from __future__ import annotations

import json

import pytest
from tests.factories import make_registry, run_import

from dugnad.observations.models import ImportRun, Observation
from dugnad.observations.selectors import observation_history
from dugnad.observations.vocab import RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    return make_registry()


ROWS = [
    {"unit": "0301", "indicator": "A1", "period": "2022", "value": 1.5},
    {"unit": "0301", "indicator": "A1", "period": "2023", "value": 2.5},
    {"unit": "0", "indicator": "B1", "period": "2023", "value": 10.0},
]


def test_first_import_inserts_current_rows_with_provenance(registry):
    result = run_import(ROWS, provenance={"url": "file:///x.csv"}, checksum="abc")

    assert result.status is RunStatus.OK
    assert (result.rows_inserted, result.rows_revised, result.rows_unchanged) == (3, 0, 0)
    assert Observation.objects.current().count() == 3
    run = ImportRun.objects.get()
    assert (run.status, run.rows_inserted, run.provenance, run.checksum) == ("ok", 3, {"url": "file:///x.csv"}, "abc")
    oslo = Observation.objects.get(unit=registry["units"]["0301"], period="2023")
    assert (oslo.value, oslo.status, oslo.revision, oslo.is_current, oslo.import_run) == (2.5, "ok", 1, True, run)
    assert oslo.recorded_at is not None
    assert oslo.dimensions == {}


def test_reimport_of_the_same_rows_is_a_noop(registry):
    run_import(ROWS)
    before = list(Observation.objects.values_list("id", "revision", "is_current"))

    again = run_import(ROWS)

    assert again.status is RunStatus.NOOP
    assert (again.rows_inserted, again.rows_revised, again.rows_unchanged) == (0, 0, 3)
    assert list(Observation.objects.values_list("id", "revision", "is_current")) == before
    assert again.run.status == "noop"


def test_changed_value_becomes_revision_two_and_history_keeps_both(registry):
    run_import(ROWS)
    changed = [dict(ROWS[1], value=3.0), ROWS[0]]

    result = run_import(changed)

    assert (result.status, result.rows_inserted, result.rows_revised, result.rows_unchanged) == (RunStatus.OK, 0, 1, 1)
    history = observation_history(registry["units"]["0301"], registry["indicators"]["A1"], "2023", "")
    assert [(o.revision, o.value, o.is_current) for o in history] == [(1, 2.5, False), (2, 3.0, True)]
    assert history[1].import_run == result.run
    assert Observation.objects.current().count() == 3
    assert Observation.objects.count() == 4


def test_status_change_without_value_change_is_a_revision(registry):
    run_import([ROWS[0]])
    result = run_import([dict(ROWS[0], status="provisional")])
    assert result.rows_revised == 1
    assert Observation.objects.current().get().status == "provisional"


def test_rows_absent_from_a_later_import_are_left_alone(registry):
    run_import(ROWS)
    run_import([dict(ROWS[0], value=9.0)])
    assert Observation.objects.current().count() == 3


def test_bad_rows_reject_the_whole_import_with_located_problems(registry):
    run_import(ROWS[:1])
    before = Observation.objects.count()
    rows = [
        {"unit": "0301", "indicator": "A1", "period": "2024", "value": 4.0},
        {"unit": "7777", "indicator": "A1", "period": "2024", "value": 4.0},
        {"unit": "0301", "indicator": "ZZ", "period": "2024", "value": 4.0},
        {"unit": "0301", "indicator": "B1", "period": "2024", "value": "x"},
    ]

    result = run_import(rows)

    assert result.status is RunStatus.FAILED
    assert Observation.objects.count() == before
    located = [(p.row, p.column, p.value, p.reason) for p in result.report.errors]
    assert located == [
        (3, "unit", "7777", "unknown unit code"),
        (4, "indicator", "ZZ", "unknown indicator code"),
        (5, "value", "x", "value is not a number"),
    ]
    run = ImportRun.objects.latest("id")
    assert (run.status, run.rows_inserted, run.report["errors"]) == ("failed", 0, 3)
    assert not Observation.objects.filter(import_run=run).exists()


def test_duplicate_keys_are_rejected(registry):
    rows = [ROWS[0], dict(ROWS[0], value=7.0)]
    result = run_import(rows)
    assert result.status is RunStatus.FAILED
    assert [(p.row, p.value) for p in result.report.errors] == [(3, "same as row 2")]
    assert Observation.objects.count() == 0


def test_dimensions_make_separate_observations_with_a_canonical_key(registry):
    rows = [
        {"unit": "0301", "indicator": "A1", "period": "2023", "sex": "F", "age": "0-17", "value": 1.0},
        {"unit": "0301", "indicator": "A1", "period": "2023", "sex": "M", "age": "0-17", "value": 2.0},
        {"unit": "0301", "indicator": "A1", "period": "2023", "sex": "", "age": "", "value": 3.0},
    ]
    run_import(rows)
    stored = dict(Observation.objects.values_list("dimension_key", "value"))
    assert stored == {"age=0-17|sex=F": 1.0, "age=0-17|sex=M": 2.0, "": 3.0}
    assert Observation.objects.get(dimension_key="age=0-17|sex=F").dimensions == {"age": "0-17", "sex": "F"}
    assert run_import(rows).status is RunStatus.NOOP


def test_ambiguous_indicator_is_an_error_and_framework_prefix_resolves_it(registry):
    bad = run_import([{"unit": "0", "indicator": "3.2.1", "period": "2023", "value": 1.0}])
    assert bad.status is RunStatus.FAILED
    assert "ambiguous" in bad.report.errors[0].reason
    assert "no, un" in bad.report.errors[0].reason

    good = run_import([{"unit": "0", "indicator": "un:3.2.1", "period": "2023", "value": 1.0}])
    assert good.status is RunStatus.OK
    assert Observation.objects.get().indicator == registry["indicators"]["un:3.2.1"]


def test_units_resolve_for_the_period_year_across_reforms(registry):
    units = registry["units"]
    rows = [
        {"unit": "3001", "indicator": "A1", "period": "2022", "value": 1.0},
        {"unit": "9999", "indicator": "A1", "period": "2015", "value": 1.0},
        {"unit": "9999", "indicator": "A1", "period": "2021", "value": 1.0},
        {"unit": "9999", "indicator": "A1", "period": "2016-2020", "value": 1.0},
    ]
    assert run_import(rows).status is RunStatus.OK
    stored = {(o.unit.code, o.period): o.unit for o in Observation.objects.select_related("unit")}
    assert stored[("3001", "2022")] == units["3001"]
    assert stored[("9999", "2015")] == units["9999-old"]
    assert stored[("9999", "2021")] == units["9999-new"]
    assert stored[("9999", "2016-2020")] == units["9999-new"]


def test_a_year_before_the_unit_existed_is_a_located_error_and_nothing_is_written(registry):
    rows = [
        {"unit": "3001", "indicator": "A1", "period": "2022", "value": 1.0},
        {"unit": "3001", "indicator": "A1", "period": "2019", "value": 1.0},  # 3001 exists from 2020 only
    ]
    result = run_import(rows)
    assert result.status is RunStatus.FAILED
    [error] = result.report.errors
    assert (error.row, error.column, error.value) == (3, "unit", "3001")
    assert "did not exist" in error.reason and "2020-01-01" in error.reason
    assert not Observation.objects.exists()
    # a harmonised series (the demo, SSB's today's-codes groupings) keeps such years on the code's latest version
    assert run_import(rows, harmonised=True).status is RunStatus.OK
    assert set(Observation.objects.values_list("unit__code", "period")) == {("3001", "2022"), ("3001", "2019")}


def test_empty_value_is_stored_as_missing(registry):
    run_import([{"unit": "0", "indicator": "A1", "period": "2023", "value": None}])
    assert Observation.objects.values_list("value", "status").get() == (None, "missing")


def test_dry_run_counts_but_writes_nothing(registry):
    result = run_import(ROWS, dry_run=True)
    assert (result.status, result.rows_inserted, result.run) == (RunStatus.OK, 3, None)
    assert Observation.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_demo_flag_and_user_are_kept_on_the_run(registry, django_user_model):
    user = django_user_model.objects.create(username="coordinator")
    result = run_import(ROWS, is_demo=True, user=user, kind="demo")
    assert (result.run.is_demo, result.run.user, result.run.kind) == (True, user, "demo")


def test_a_reader_report_with_errors_rejects_the_import(registry):
    from dugnad.analytics.report import ValidationReport

    report = ValidationReport(source="x.csv")
    report.add("value is not a number", row=9, column="value", value="abc")
    result = run_import(ROWS, report=report)
    assert result.status is RunStatus.FAILED
    assert Observation.objects.count() == 0


def test_leading_zero_lost_by_a_spreadsheet_is_restored_with_a_warning(registry):
    result = run_import([{"unit": "301", "indicator": "A1", "period": "2023", "value": 1.0}])
    assert result.status is RunStatus.OK
    assert Observation.objects.get().unit.code == "0301"
    assert "leading zero" in result.report.warnings[0].reason


def test_bulk_load_rebuilds_every_index_and_foreign_key(registry, monkeypatch):
    from django.db import connection

    from dugnad.observations import bulk

    def constraints():
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, Observation._meta.db_table)
        return {name: (tuple(c["columns"]), c["unique"], c["foreign_key"]) for name, c in found.items()}

    before = constraints()
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 1)
    result = run_import(ROWS)
    assert (result.status, result.rows_inserted) == (RunStatus.OK, 3)
    assert constraints() == before
    assert Observation.objects.current().count() == 3
    ids = sorted(Observation.objects.values_list("pk", flat=True))
    later = Observation.objects.create(unit=registry["units"]["0301"], indicator=registry["indicators"]["A1"],
                                       period="2024", value=3.0)
    assert later.pk > ids[-1], "the id sequence moved past the ids a bulk load gave its rows"
    assert run_import(ROWS).status is RunStatus.NOOP


def test_a_bulk_load_stores_the_columns_given_as_defaults_exactly_and_leaves_no_default(registry, monkeypatch):
    """On PostgreSQL a bulk load gives the columns equal in every row as column defaults for the COPY: the rows hold
    the run, the time, the dimensions (with a quote), the status and the revision as the ORM would write them, and the
    defaults are gone."""
    from django.db import connection

    from dugnad.observations import bulk

    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 1)
    rows = [{**row, "grp": "o'50%"} for row in ROWS]
    result = run_import(rows)
    assert result.rows_inserted == 3
    stored = list(Observation.objects.order_by("period", "unit__code"))
    assert {(o.is_current, o.import_run_id, o.dimension_key) for o in stored} == {(True, result.run.pk, "grp=o'50%")}
    assert {(o.status, o.revision) for o in stored} == {(Observation._meta.get_field("status").default, 1)}
    assert {json.dumps(o.dimensions) for o in stored} == {json.dumps({"grp": "o'50%"})}
    assert len({o.recorded_at for o in stored}) == 1 and stored[0].recorded_at.tzinfo is not None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                           "AND column_default IS NOT NULL AND column_name <> 'id'", [Observation._meta.db_table])
            assert cursor.fetchall() == []


def test_columns_equal_in_every_row_are_written_as_literals_and_stored_exactly(registry):
    """One dimension value with a quote and a percent sign in every row: written as an SQL literal, stored as given."""
    rows = [{**row, "grp": "o'50%"} for row in ROWS]

    result = run_import(rows)

    assert result.rows_inserted == 3
    stored = Observation.objects.filter(period="2023", unit=registry["units"]["0301"]).get()
    assert (stored.dimension_key, stored.dimensions, stored.value) == ("grp=o'50%", {"grp": "o'50%"}, 2.5)
    assert run_import(rows).status is RunStatus.NOOP
