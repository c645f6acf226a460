"""Rounds services: opening, editing with optimistic locking, review, snapshots and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from tests.factories import round_national, submission_of, world_build

from dugnad.analytics.report import InputError
from dugnad.observations.models import ImportRun, Observation
from dugnad.rounds.editing import submission_answer_save, submission_narrative_save, submission_value_save
from dugnad.rounds.errors import Conflict
from dugnad.rounds.models import AuditEntry, Snapshot, Submission
from dugnad.rounds.services import round_close, submission_approve, submission_return, submission_submit

pytestmark = pytest.mark.django_db


def test_a_national_round_has_one_draft_submission_per_municipality_county_and_the_country():
    w = world_build()
    round_ = round_national(w)
    assert sorted(round_.submissions.values_list("unit__code", "unit__level__code", "state")) == [
        ("0", "country", "draft"), ("03", "county", "draft"), ("0301", "municipality", "draft"),
        ("46", "county", "draft"), ("4601", "municipality", "draft"), ("4602", "municipality", "draft")]
    assert round_.questions.count() == 4
    assert AuditEntry.objects.filter(action="round_open", round=round_).count() == 1


def test_a_county_writes_its_own_submission_and_ks_reviews_it():
    from tests.factories import UserFactory

    from dugnad.accounts.models import Membership
    from dugnad.accounts.vocab import Role

    w = world_build()
    round_ = round_national(w)
    county = submission_of(round_, "46")
    editor = UserFactory(username="vestland-redaktor")
    Membership.objects.create(user=editor, unit=w.units["46"], role=Role.COUNTY_EDITOR)
    reader = UserFactory(username="vestland-leser")
    Membership.objects.create(user=reader, unit=w.units["46"], role=Role.COUNTY_READER)
    # the county's chapters are the county-review chapters, not the VLR's nor goal texts
    submission_narrative_save(user=editor, submission=county, key="chapter:county_assessment",
                              text="Kommunene i Vestland står sterkt på mål 4.", version=0)
    with pytest.raises(InputError):
        submission_narrative_save(user=editor, submission=county, key="chapter:policy", text="x", version=0)
    # the coordinator of the county writes for the county too; readers and other counties cannot
    submission_narrative_save(user=w.users["vestland"], submission=county, key="chapter:county_networks",
                              text="Vestlandsnettverket.", version=0)
    for user in (reader, w.users["oslo-fylke"], w.users["bergen"]):
        with pytest.raises(PermissionDenied):
            submission_narrative_save(user=user, submission=county, key="chapter:county_opening", text="x", version=0)
    county = submission_submit(user=editor, submission=county, confirm_incomplete=True)
    # the county coordinator does not review its own county; KS does
    with pytest.raises(PermissionDenied):
        submission_approve(user=w.users["vestland"], submission=county)
    approved = submission_approve(user=w.users["ks"], submission=county)
    assert approved.state == "approved" and approved.snapshots.count() == 1
    # the county coordinator still reviews its municipalities
    bergen = submission_submit(user=w.users["bergen"], submission=submission_of(round_, "4601"), confirm_incomplete=True)
    assert submission_return(user=w.users["vestland"], submission=bergen, comment="Mangler tekst.").state == "returned"


def test_ks_writes_the_national_chapters_in_the_countrys_submission():
    w = world_build()
    round_ = round_national(w)
    national = submission_of(round_, "0")
    saved = submission_narrative_save(user=w.users["ks"], submission=national, key="chapter:national_method",
                                      text="Tallene kommer fra SSB.", version=0)
    again = submission_narrative_save(user=w.users["ks"], submission=national, key="chapter:national_method",
                                      text="Tallene kommer fra SSB og kommunene.", version=saved.version)
    assert again.version == 2
    for user in (w.users["vestland"], w.users["departement"]):
        with pytest.raises(PermissionDenied):
            submission_narrative_save(user=user, submission=national, key="chapter:national_method", text="x",
                                      version=2)


def test_a_county_round_covers_the_county_only():
    w = world_build()
    round_ = round_national(w, user=w.users["vestland"], scope_unit=w.units["46"])
    assert sorted(round_.submissions.values_list("unit__code", flat=True)) == ["4601", "4602"]


def test_opening_a_round_elsewhere_is_denied_and_writes_nothing():
    w = world_build()
    with pytest.raises(PermissionDenied):
        round_national(w, user=w.users["vestland"], scope_unit=w.units["03"])
    assert Submission.objects.count() == 0


def test_bad_round_settings_name_the_field():
    w = world_build()
    with pytest.raises(InputError) as err:
        round_national(w, title=" ", chapters=["opening", "nonsense"], indicators=[])
    columns = {p.column for p in err.value.report.errors}
    assert columns == {"title", "chapters", "indicators"}


def test_a_value_is_saved_as_a_new_revision_with_a_web_run():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    ind = w.indicators[0]
    first = submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025",
                                  text="12,5", expected_revision=0)
    second = submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025",
                                   text="13", expected_revision=first.revision)
    assert (first.value, first.revision, second.value, second.revision) == (12.5, 1, 13.0, 2)
    history = Observation.objects.filter(unit=w.units["4601"], indicator=ind, period="2025").order_by("revision")
    assert [(o.value, o.is_current) for o in history] == [(12.5, False), (13.0, True)]
    assert second.import_run.kind == "web" and second.import_run.user == w.users["bergen"]
    audit = AuditEntry.objects.filter(action="value_save").order_by("id").last()
    assert audit.before["value"] == 12.5 and audit.after["value"] == 13.0 and audit.user == w.users["bergen"]


def test_a_stale_value_save_is_a_conflict_showing_the_other_change():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    ind = w.indicators[0]
    submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025", text="40", expected_revision=0)
    with pytest.raises(Conflict) as err:
        submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025", text="41",
                              expected_revision=0)
    assert (err.value.current, err.value.yours, err.value.changed_by) == (40.0, 41.0, "bergen")
    assert Observation.objects.current().get(unit=w.units["4601"], indicator=ind, period="2025").value == 40.0


@pytest.mark.parametrize(("text", "reason"), [("tolv", "tall"), ("150", "mellom 0 og 100")])
def test_bad_cells_are_rejected_with_the_cell_named(text, reason):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    with pytest.raises(InputError) as err:
        submission_value_save(user=w.users["bergen"], submission=sub, indicator=w.indicators[0], period="2024",
                              text=text, expected_revision=0)
    problem = err.value.report.errors[0]
    assert reason in problem.reason and problem.column == "T-A 2024"
    assert not Observation.objects.exists() and not ImportRun.objects.exists()


def test_a_cross_unit_save_is_denied_and_changes_nothing():
    w = world_build()
    oslo = submission_of(round_national(w), "0301")
    with pytest.raises(PermissionDenied):
        submission_value_save(user=w.users["bergen"], submission=oslo, indicator=w.indicators[0], period="2025",
                              text="1", expected_revision=0)
    assert not Observation.objects.exists()


def test_narratives_and_answers_keep_versions_and_conflict_when_stale():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    n1 = submission_narrative_save(user=w.users["bergen"], submission=sub, key="chapter:opening", text="Hei", version=0)
    n2 = submission_narrative_save(user=w.users["bergen"], submission=sub, key="chapter:opening", text="Hei igjen",
                                   version=n1.version)
    assert n2.version == 2
    with pytest.raises(Conflict) as err:
        submission_narrative_save(user=w.users["bergen"], submission=sub, key="chapter:opening", text="Min", version=1)
    assert err.value.current == "Hei igjen"
    question = sub.round.questions.get(position=1)
    answer = submission_answer_save(user=w.users["bergen"], submission=sub, question=question, raw="ja", version=0)
    assert answer.value is True
    with pytest.raises(InputError):
        submission_answer_save(user=w.users["bergen"], submission=sub, question=question, raw="kanskje", version=1)
    scale = sub.round.questions.get(position=2)
    with pytest.raises(InputError):
        submission_answer_save(user=w.users["bergen"], submission=sub, question=scale, raw="9", version=0)


def test_review_flow_with_snapshot_that_later_edits_do_not_change():
    w = world_build()
    round_ = round_national(w)
    sub = submission_of(round_, "4601")
    ind = w.indicators[0]
    obs = submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025", text="50",
                                expected_revision=0)
    sub = submission_submit(user=w.users["bergen"], submission=sub, version=1, confirm_incomplete=True)
    with pytest.raises(PermissionDenied):
        submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025", text="51",
                              expected_revision=obs.revision)
    with pytest.raises(PermissionDenied):
        submission_approve(user=w.users["oslo-fylke"], submission=sub)
    with pytest.raises(InputError):
        submission_return(user=w.users["vestland"], submission=sub, comment="  ")
    sub = submission_return(user=w.users["vestland"], submission=sub, comment="Sjekk tallet for 2025.", version=2)
    assert (sub.state, sub.review_comment) == ("returned", "Sjekk tallet for 2025.")
    obs = submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025", text="55",
                                expected_revision=obs.revision)
    sub = submission_submit(user=w.users["bergen"], submission=sub, version=3, confirm_incomplete=True)
    sub = submission_approve(user=w.users["vestland"], submission=sub, version=4)
    snapshot = Snapshot.objects.get(submission=sub, kind="approval")
    frozen = dict(snapshot.data)
    assert [v["value"] for v in frozen["values"]] == [55.0]
    sub = submission_return(user=w.users["vestland"], submission=sub, comment="Gjenåpnet for retting.")
    submission_value_save(user=w.users["bergen"], submission=sub, indicator=ind, period="2025", text="60",
                          expected_revision=obs.revision + 0)
    snapshot.refresh_from_db()
    assert snapshot.data == frozen
    round_close(user=w.users["ks"], round_=round_, confirmation=round_.title)
    snapshot.refresh_from_db()
    assert snapshot.data == frozen
    assert Snapshot.objects.filter(kind="close").count() == 6
    with pytest.raises(ValueError):
        snapshot.save()
    actions = list(AuditEntry.objects.filter(submission=sub).order_by("id").values_list("action", flat=True))
    assert actions == ["value_save", "submission_submit", "submission_return", "value_save", "submission_submit",
                       "submission_approve", "submission_return", "value_save"]


def test_a_stale_state_change_is_a_conflict():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    submission_submit(user=w.users["bergen"], submission=sub, version=1, confirm_incomplete=True)
    with pytest.raises(Conflict):
        submission_approve(user=w.users["vestland"], submission=sub, version=1)


def test_closed_rounds_take_no_edits():
    w = world_build()
    round_ = round_national(w, deadline=dt.date.today())
    round_close(user=w.users["ks"], round_=round_, confirmation=round_.title)
    with pytest.raises(PermissionDenied):
        submission_narrative_save(user=w.users["bergen"], submission=submission_of(round_, "4601"),
                                  key="chapter:opening", text="x", version=0)


def test_grid_cells_name_demo_and_real_values_but_not_the_units_own():
    from dugnad.rounds.selectors import submission_grid

    w = world_build()
    round_ = round_national(w)
    sub = submission_of(round_, "4601")
    a, b, c = w.indicators[:3]
    period = round_.periods[-1]
    demo = ImportRun.objects.create(kind="demo", source="Dugnad", is_demo=True, status="ok")
    real = ImportRun.objects.create(kind="telemark", source="loader", status="ok",
                                    provenance={"name": "NAV", "licence": "NLOD 2.0"})
    Observation.objects.create(unit=w.units["4601"], indicator=a, period=period, value=1.0, import_run=demo)
    Observation.objects.create(unit=w.units["4601"], indicator=b, period=period, value=2.0, import_run=real)
    submission_value_save(user=w.users["bergen"], submission=sub, indicator=c, period=period, text="3",
                          expected_revision=0)
    cells = {row.indicator.code: next(x for x in row.cells if x.period == period) for row in submission_grid(sub)}
    assert cells[a.code].provenance == "Demodata – ikke ekte tall"
    assert cells[b.code].provenance == "Kilde: NAV"
    assert cells[c.code].provenance == "" and cells[c.code].value == 3.0
