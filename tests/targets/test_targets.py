"""Local 2030 targets: versioning, permissions, the roll-up of members' targets, the ambition gap and the CLI."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from typer.testing import CliRunner

from dugnad.analytics.rollup import Aggregation, Weighting
from dugnad.catalogue.models import IndicatorSpec
from dugnad.cli.main import app
from dugnad.targets.models import LocalTarget
from dugnad.targets.selectors import GAP_COLUMNS, ambition_gaps, target_history, targets_in_force
from dugnad.targets.services import target_set
from dugnad.targets.vocab import CommitmentSource

runner = CliRunner()
POP = {"4601": 291_000, "4602": 17_000, "4624": 25_000, "4640": 12_000}
COUNTY_POP = sum(POP.values())


def _set(world, user, unit, indicator, value, **kw):
    return target_set(user=world.users[user], unit=world.units[unit], indicator=indicator, value=value, **kw)


@pytest.fixture
def targets(world):
    """T-A (rate, higher better), T-B (count: sum) and T-C (rate, lower better): targets of 46, 4601 and 4602."""
    rate, count, lower = world.indicators
    IndicatorSpec.objects.filter(indicator=count).update(aggregation="sum")
    IndicatorSpec.objects.filter(indicator=lower).update(direction="lower")
    for indicator, county, bergen, kinn in ((rate, 85, 80, 60), (count, 150, 100, 20), (lower, 3.0, 3.0, 5.0)):
        _set(world, "vestland", "46", indicator, county, source=CommitmentSource.COUNCIL_DECISION)
        _set(world, "bergen", "4601", indicator, bergen)
        _set(world, "kinn", "4602", indicator, kinn)
    return rate, count, lower


def test_a_rate_is_rolled_up_population_weighted_and_the_gap_is_own_minus_members(world, targets):
    rate = targets[0]
    gap = next(g for g in ambition_gaps(world.units["46"]) if g.indicator == rate)
    expected = (291_000 * 80 + 17_000 * 60) / 308_000  # 78.896…
    assert gap.weighting is Weighting.POPULATION and gap.aggregation is Aggregation.MEAN
    assert gap.own_target == 85
    assert gap.members_target == pytest.approx(expected)
    assert gap.gap == pytest.approx(85 - expected)
    assert (gap.members, gap.members_with_target) == (4, 2)
    assert gap.member_coverage == pytest.approx(0.5)
    assert gap.population_coverage == pytest.approx(308_000 / COUNTY_POP)
    shares = {s.member: s for s in gap.shares}
    assert shares["4601"].contribution == pytest.approx(291_000 / 308_000 * 80)
    assert shares["4601"].share + shares["4602"].share == pytest.approx(1)
    assert shares["4624"].target is None and shares["4624"].weight == 0


def test_a_count_is_summed_and_a_lower_is_better_gap_takes_the_direction(world, targets):
    _, count, lower = targets
    gaps = {g.indicator: g for g in ambition_gaps(world.units["46"])}
    assert gaps[count].aggregation is Aggregation.SUM
    assert gaps[count].members_target == pytest.approx(120)
    assert gaps[count].gap == pytest.approx(30)
    assert {s.member: s.share for s in gaps[count].shares}["4601"] == pytest.approx(100 / 120)
    rolled = (291_000 * 3.0 + 17_000 * 5.0) / 308_000
    assert gaps[lower].members_target == pytest.approx(rolled)
    assert gaps[lower].gap == pytest.approx(rolled - 3.0)  # members' targets allow more than the county's: short
    assert gaps[lower].gap > 0


def test_the_country_rolls_up_all_municipalities_and_has_no_own_target(world, targets):
    rate = targets[0]
    gap = next(g for g in ambition_gaps(world.units["0"]) if g.indicator == rate)
    assert gap.own_target is None and gap.gap is None
    assert (gap.members, gap.members_with_target) == (5, 2)  # Oslo counts as a member without a target
    assert gap.members_target == pytest.approx((291_000 * 80 + 17_000 * 60) / 308_000)


def test_a_new_target_supersedes_the_old_one_and_keeps_the_history(world):
    indicator = world.indicators[0]
    first = _set(world, "bergen", "4601", indicator, 70, rationale="Kommuneplan 2023")
    second = _set(world, "bergen", "4601", indicator, 75, rationale="Revidert 2025")
    first.refresh_from_db()
    assert first.superseded_at is not None and second.superseded_at is None
    assert (first.version, second.version) == (1, 2)
    assert [t.value for t in targets_in_force(unit=world.units["4601"])] == [75]
    assert [t.version for t in target_history(world.units["4601"], indicator)] == [2, 1]
    assert second.created_by == world.users["bergen"]


@pytest.mark.parametrize(("user", "unit"), [("bergen-leser", "4601"), ("kinn", "4601"), ("vestland", "4601"),
                                            ("bergen", "46"), ("nobody", "4601")])
def test_only_people_acting_for_the_unit_may_set_its_target(world, user, unit):
    with pytest.raises(PermissionDenied):
        _set(world, user, unit, world.indicators[0], 50)
    assert not LocalTarget.objects.exists()


def test_a_value_that_is_not_a_number_is_refused(world):
    with pytest.raises(ValidationError):
        _set(world, "bergen", "4601", world.indicators[0], "mye")


def test_cli_gap_writes_the_contract_columns(world, targets):
    result = runner.invoke(app, ["targets", "gap", "--unit", "46", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == GAP_COLUMNS
    assert GAP_COLUMNS[:5] == ("indicator", "own_target", "members_target", "gap", "member_coverage")
    by_code = {r["indicator"]: r for r in rows}
    assert float(by_code["T-B"]["members_target"]) == pytest.approx(120)
    assert float(by_code["T-B"]["gap"]) == pytest.approx(30)


def test_cli_members_and_list(world, targets):
    result = runner.invoke(app, ["targets", "members", "--unit", "46", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = [r for r in csv.DictReader(io.StringIO(result.output)) if r["indicator"] == "T-B"]
    assert {r["member"]: r["contribution"] for r in rows if r["contribution"]} == {"4601": "100.0", "4602": "20.0"}
    listed = runner.invoke(app, ["targets", "list", "--unit", "46", "--format", "csv"])
    assert listed.exit_code == 0 and "council_decision" in listed.output
    unknown = runner.invoke(app, ["targets", "gap", "--unit", "9999", "--format", "csv"])
    assert unknown.exit_code == 1 and "9999" in unknown.output


def test_demo_targets_are_labelled_demo_and_loaded_once(world):
    from dugnad.demo.catalogue import DEMO_FRAMEWORK
    from dugnad.demo.targets import DEMO_TARGETS, demo_targets_ensure
    from tests.factories import FrameworkFactory, IndicatorFactory

    framework = FrameworkFactory(code=DEMO_FRAMEWORK)
    for code in sorted({row[1] for row in DEMO_TARGETS}):
        IndicatorFactory(framework=framework, code=code)
    assert "10 nye" in demo_targets_ensure()
    assert "0 nye" in demo_targets_ensure()
    assert set(LocalTarget.objects.values_list("source", "is_demo")) == {(CommitmentSource.DEMO, True)}
    county = {g.indicator.code: g for g in ambition_gaps(world.units["46"])}
    assert county["D13.1"].own_target == 3.0 and county["D13.1"].members_with_target == 3


def test_distance_to_target_per_unit_takes_the_direction_and_the_latest_run(world, targets):
    from dugnad.scores.models import IndicatorScore, ScoreRun
    from dugnad.targets.selectors import distances_to_target

    rate, _, lower = targets
    run = ScoreRun.objects.create(method="sdsn", method_version="1", year=2025, data_revision="x", fingerprint="y",
                                  status="done", finished_at=timezone.now())
    for unit, indicator, value in (("4601", rate, 70.0), ("4602", rate, 65.0), ("4601", lower, 4.0)):
        IndicatorScore.objects.create(run=run, unit=world.units[unit], indicator=indicator, value=value, year=2025)
    found = {(d.indicator, d.unit): d for d in distances_to_target(world.units["46"])}
    assert found[("T-A", "4601")].distance == pytest.approx(10)  # target 80, value 70: 10 to go
    assert found[("T-A", "4602")].distance == pytest.approx(-5)  # target 60, value 65: reached
    assert found[("T-C", "4601")].distance == pytest.approx(1)  # lower is better: 4 − 3
    assert found[("T-A", "46")].value is None and found[("T-A", "46")].distance is None
    result = runner.invoke(app, ["targets", "distance", "--unit", "4601", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["indicator"]: r["distance"] for r in rows} == {"T-A": "10.0", "T-B": "", "T-C": "1.0"}


def test_the_unit_target_page_shows_the_ambition_gap_and_distance(world, targets, client):
    response = client.get("/enheter/46/mal-2030/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ambisjonsgap" in html and "T-B" in html and "120" in html and "Avstand til mål" in html
    assert client.get("/enheter/9999/mal-2030/").status_code == 404
