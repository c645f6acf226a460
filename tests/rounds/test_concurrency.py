"""Two simultaneous saves on PostgreSQL lose nothing: one wins, the other gets a conflict or both land."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from tests.factories import UserFactory, round_national, submission_of, world_build

from dugnad.observations.models import Observation
from dugnad.rounds.editing import submission_narrative_save, submission_value_save
from dugnad.rounds.errors import Conflict
from dugnad.rounds.models import Narrative

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs):
    """Run the jobs in threads (each with its own database connection) released at the same moment."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def runner(i, job):
        try:
            barrier.wait()
            outcomes[i] = ("ok", job())
        except Conflict as exc:
            outcomes[i] = ("conflict", exc)
        except Exception as exc:
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL (row locks); SQLite serialises writers anyway")


def test_two_saves_of_the_same_cell_give_one_winner_and_one_conflict(postgres_only):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    second_editor = UserFactory(username="bergen2")
    second_editor.memberships.create(unit=w.units["4601"], role="municipal_editor")
    ind = w.indicators[0]

    def save(user, text):
        return lambda: submission_value_save(user=user, submission=sub, indicator=ind, period="2025", text=text,
                                             expected_revision=0)

    outcomes = run_together(save(w.users["bergen"], "10"), save(second_editor, "20"))
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["conflict", "ok"], outcomes
    winner = next(value for kind, value in outcomes if kind == "ok")
    loser = next(value for kind, value in outcomes if kind == "conflict")
    stored = Observation.objects.current().get(unit=w.units["4601"], indicator=ind, period="2025")
    assert stored.value == winner.value and loser.current == winner.value
    assert loser.yours in (10.0, 20.0) and loser.yours != winner.value  # the loser's value comes back, not dropped
    assert Observation.objects.filter(unit=w.units["4601"], indicator=ind, period="2025").count() == 1


def test_two_saves_of_different_cells_both_land(postgres_only):
    w = world_build()
    sub = submission_of(round_national(w), "4601")

    def save(indicator, text):
        return lambda: submission_value_save(user=w.users["bergen"], submission=sub, indicator=indicator, period="2025",
                                             text=text, expected_revision=0)

    outcomes = run_together(save(w.indicators[0], "10"), save(w.indicators[1], "20"))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sorted(Observation.objects.current().values_list("value", flat=True)) == [10.0, 20.0]


def test_two_narrative_saves_give_one_winner_and_one_conflict(postgres_only):
    w = world_build()
    sub = submission_of(round_national(w), "4601")

    def save(text):
        return lambda: submission_narrative_save(user=w.users["bergen"], submission=sub, key="chapter:opening",
                                                 text=text, version=0)

    outcomes = run_together(save("A"), save("B"))
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "ok"], outcomes
    assert Narrative.objects.get().version == 1


def _held_open(job, started: threading.Event, release: threading.Event, outcome: list):
    """Run ``job`` in a transaction on this thread's own connection and keep that transaction open until ``release``."""
    from django.db import transaction

    try:
        with transaction.atomic():
            outcome.append(job())
            started.set()
            release.wait(30)
    except Exception as exc:  # surfaced by the test
        outcome.append(exc)
        started.set()
    finally:
        connections.close_all()


def _with_lock_timeout(job):
    """Run ``job`` in a transaction that gives up on a row lock after 2 s (PostgreSQL ``lock_timeout``)."""
    from django.db import transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        return job()


def test_saves_of_different_submissions_in_one_round_do_not_wait_for_each_other(postgres_only):
    """The round's row is locked shared by each save, not exclusively: a save of Oslo goes through while a save of
    Bergen in the same round is still uncommitted (before, it waited for Bergen's commit behind the round's row)."""
    w = world_build()
    round_ = round_national(w)
    bergen, oslo = submission_of(round_, "4601"), submission_of(round_, "0301")
    started, release, held = threading.Event(), threading.Event(), []
    ind = w.indicators[0]
    first = threading.Thread(target=_held_open, args=(
        lambda: submission_value_save(user=w.users["bergen"], submission=bergen, indicator=ind, period="2025",
                                      text="1", expected_revision=0), started, release, held))
    first.start()
    try:
        assert started.wait(30)
        outcome = run_together(lambda: _with_lock_timeout(
            lambda: submission_value_save(user=w.users["oslo"], submission=oslo, indicator=ind, period="2025",
                                          text="2", expected_revision=0)))
    finally:
        release.set()
        first.join(30)
    assert [kind for kind, _ in outcome] == ["ok"], outcome
    assert not isinstance(held[0], Exception), held
    assert sorted(Observation.objects.current().values_list("value", flat=True)) == [1.0, 2.0]


def test_closing_a_round_waits_for_a_save_in_flight(postgres_only):
    """Closing takes the round's row exclusively, so it cannot slip between a save's permission check and its commit
    (the close's snapshot would miss the value): while a save is uncommitted the close waits (here: gives up)."""
    from dugnad.rounds.services import round_close

    w = world_build()
    round_ = round_national(w)
    bergen = submission_of(round_, "4601")
    started, release, held = threading.Event(), threading.Event(), []
    first = threading.Thread(target=_held_open, args=(
        lambda: submission_value_save(user=w.users["bergen"], submission=bergen, indicator=w.indicators[0],
                                      period="2025", text="1", expected_revision=0), started, release, held))
    first.start()
    try:
        assert started.wait(30)
        outcome = run_together(lambda: _with_lock_timeout(
            lambda: round_close(user=w.users["ks"], round_=round_, confirmation=round_.title)))
    finally:
        release.set()
        first.join(30)
    assert outcome[0][0] == "error" and "lock" in str(outcome[0][1]).lower(), outcome
    round_.refresh_from_db()
    assert round_.state == "open"
