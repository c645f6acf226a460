"""Persisted score runs: scoring stored observations, reuse on unchanged data, selectors over the run."""

from __future__ import annotations

import pytest
from tests.factories import build_tree, observation_revise

from dugnad.scores.models import GoalScore, IndicatorScore, ScoreRun
from dugnad.scores.selectors import (
    latest_score_run,
    peers_for,
    rollup_for,
    shared_gaps_for,
    unit_goal_scores,
    unit_index_score,
    unit_indicator_scores,
)
from dugnad.scores.services import score_run_create
from dugnad.scores.vocab import ScoreRunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def test_a_run_scores_stored_observations_with_the_catalogue_specs(tree):
    outcome = score_run_create(method="sdsn")
    run = outcome.run
    assert not outcome.reused
    assert run.status == ScoreRunStatus.DONE
    assert (run.method, run.method_version) == ("sdsn", "1.0")
    assert run.parameters == {"method": "sdsn", "year": None, "missing_goal": "group-mean", "min_coverage": 0.8}
    assert run.units == 7 and run.indicators == 2 and run.observations == 8
    assert len(run.data_revision) == 64
    scores = {(s.unit.code, s.indicator.code): s for s in unit_indicator_scores(tree["units"]["0101"], run)}
    assert scores["0101", "A"].value == 40 and scores["0101", "A"].score == pytest.approx(40.0)
    assert scores["0101", "A"].colour == "red"
    assert scores["0101", "B"].score == pytest.approx(95.0)  # lower is better: 100·(5 − 100)/(0 − 100)
    assert scores["0101", "B"].colour == "green"
    goal = unit_goal_scores(tree["units"]["0101"], run)
    assert [g.goal for g in goal] == [3]
    assert goal[0].score == pytest.approx((40 + 95) / 2)
    assert unit_index_score(tree["units"]["0101"], run).score == pytest.approx((40 + 95) / 2)


def test_rerunning_on_unchanged_data_reuses_the_run(tree):
    first = score_run_create()
    again = score_run_create()
    assert again.reused and again.run.pk == first.run.pk
    assert ScoreRun.objects.count() == 1
    assert "gjenbrukt" in again.summary()


def test_a_changed_observation_gives_a_new_run(tree):
    first = score_run_create()
    observation_revise(tree["observations"]["0101", "A"], 85.0)
    second = score_run_create()
    assert not second.reused and second.run.pk != first.run.pk
    assert second.run.data_revision != first.run.data_revision
    assert latest_score_run() == second.run
    new = IndicatorScore.objects.get(run=second.run, unit__code="0101", indicator__code="A")
    assert (new.value, new.colour) == (85.0, "green")
    old = IndicatorScore.objects.get(run=first.run, unit__code="0101", indicator__code="A")
    assert old.value == 40.0  # the earlier run is kept as it was


def test_changed_parameters_give_a_new_run(tree):
    first = score_run_create(year=2024)
    other = score_run_create(year=2024, min_coverage=0.5)
    assert not other.reused and other.run.fingerprint != first.run.fingerprint
    assert other.run.data_revision == first.run.data_revision


def test_rollup_for_reads_the_run_values_with_population_weights(tree):
    score_run_create()
    row = rollup_for(tree["units"]["0"], tree["indicators"]["A"])
    assert row.value == pytest.approx((100 * 40 + 300 * 60 + 600 * 90) / 1000)
    assert row.published == 70.0
    assert (row.members, row.members_with_data) == (4, 3)
    assert row.population_coverage == pytest.approx(0.5)
    assert row.target == 80 and row.gap == pytest.approx(0.1 * 40 + 0.3 * 20)
    county = rollup_for(tree["units"]["01"], tree["indicators"]["B"], weighting="none")
    assert county.value == pytest.approx(12.5) and county.direction.value == "lower"
    scores = rollup_for(tree["units"]["01"], tree["indicators"]["A"], of="score", weighting="none")
    assert scores.value == pytest.approx(50.0) and scores.target == pytest.approx(80.0)


def test_shared_gaps_for_a_county_ranks_by_population(tree):
    score_run_create()
    gaps = shared_gaps_for(tree["units"]["01"])
    assert [(g.indicator, g.red, g.orange, g.population_affected) for g in gaps] == [("A", 1, 1, 400.0)]
    country = shared_gaps_for(tree["units"]["0"], min_share=0.25)
    # B: only 0201 is red (0102 at 20 is yellow) but it has 600 people; A: 0101 red + 0102 orange = 400
    assert [(g.indicator, g.units, g.population_affected) for g in country] == [("B", ("0201",), 600.0),
                                                                                ("A", ("0101", "0102"), 400.0)]
    assert [g.indicator for g in shared_gaps_for(tree["units"]["0"])] == ["A"]  # B is 1 of 4: below half


def test_peers_for_uses_structural_attributes_of_the_same_level(tree):
    search = peers_for(tree["units"]["0101"], k=2)
    assert [p.unit for p in search.peers] == ["0102", "0201"]
    assert {s.name for s in search.scales} == {"population", "density", "centrality", "income"}
    grouped = peers_for(tree["units"]["0101"], k=5, same_group=True)
    assert [p.unit for p in grouped.peers] == ["0102", "0202"]


def test_selectors_are_empty_without_a_run(tree):
    assert latest_score_run() is None
    assert unit_goal_scores(tree["units"]["0101"]) == []
    assert rollup_for(tree["units"]["0"], tree["indicators"]["A"]) is None
    assert shared_gaps_for(tree["units"]["01"]) == []
    assert GoalScore.objects.count() == 0


def test_a_new_spec_version_changes_the_data_revision(tree):
    from tests.factories import IndicatorSpecFactory

    first = score_run_create()
    spec = tree["indicators"]["A"].specs.first()
    IndicatorSpecFactory(indicator=tree["indicators"]["A"], goal=spec.goal, version=2, green=60, red=40)
    second = score_run_create()
    assert not second.reused and second.run.data_revision != first.run.data_revision
    assert IndicatorScore.objects.get(run=second.run, unit__code="0102", indicator__code="A").colour == "green"


def test_unusable_stored_specs_record_a_failed_run_and_raise(tree):
    from tests.factories import IndicatorSpecFactory

    from dugnad.analytics.report import InputError

    spec = tree["indicators"]["A"].specs.first()
    IndicatorSpecFactory(indicator=tree["indicators"]["A"], goal=spec.goal, version=2, upper_bound=50, lower_bound=50)
    with pytest.raises(InputError, match="upper_bound equals lower_bound"):
        score_run_create()
    failed = ScoreRun.objects.get()
    assert failed.status == ScoreRunStatus.FAILED and "upper_bound" in failed.error
    assert latest_score_run() is None
    assert not IndicatorScore.objects.exists()
