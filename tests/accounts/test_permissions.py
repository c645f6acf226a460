"""The permission rules: who sees, edits, reviews and opens rounds for which units."""

from __future__ import annotations

import pytest
from tests.factories import round_national, submission_of, world_build

from dugnad.accounts.permissions import (
    can_edit_submission,
    can_open_round,
    can_review_submission,
    can_view_submission,
    units_editable_by,
    units_reviewable_by,
    units_visible_to,
)

pytestmark = pytest.mark.django_db


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_national_roles_see_every_unit():
    w = world_build()
    for name in ("ks", "departement", "admin"):
        assert codes(units_visible_to(w.users[name])) == ["0", "03", "0301", "46", "4601", "4602"]


def test_a_county_coordinator_sees_and_reviews_its_county_only():
    w = world_build()
    assert codes(units_visible_to(w.users["vestland"])) == ["46", "4601", "4602"]
    assert codes(units_reviewable_by(w.users["vestland"])) == ["4601", "4602"]
    # the county's own submission: written by the county, reviewed by KS
    assert codes(units_editable_by(w.users["vestland"])) == ["46"]
    assert codes(units_reviewable_by(w.users["ks"])) == ["03", "0301", "46", "4601", "4602"]


def test_a_municipal_editor_edits_only_its_municipality():
    w = world_build()
    assert codes(units_visible_to(w.users["bergen"])) == ["4601"]
    assert codes(units_editable_by(w.users["bergen"])) == ["4601"]
    assert codes(units_reviewable_by(w.users["bergen"])) == []


def test_readers_and_strangers_edit_nothing():
    w = world_build()
    assert codes(units_visible_to(w.users["bergen-leser"])) == ["4601"]
    assert codes(units_editable_by(w.users["bergen-leser"])) == []
    assert codes(units_editable_by(w.users["departement"])) == []
    assert codes(units_visible_to(w.users["nobody"])) == []


def test_who_may_open_rounds_where():
    w = world_build()
    assert can_open_round(w.users["ks"], w.units["0"])
    assert not can_open_round(w.users["ks"], w.units["46"])
    assert can_open_round(w.users["vestland"], w.units["46"])
    assert not can_open_round(w.users["vestland"], w.units["03"])
    assert not can_open_round(w.users["vestland"], w.units["0"])
    assert not can_open_round(w.users["bergen"], w.units["4601"])
    assert can_open_round(w.users["admin"], w.units["03"])


def test_submission_rules_follow_unit_and_state():
    w = world_build()
    round_ = round_national(w)
    bergen = submission_of(round_, "4601")
    oslo = submission_of(round_, "0301")
    assert can_edit_submission(w.users["bergen"], bergen)
    assert not can_edit_submission(w.users["bergen"], oslo)
    assert not can_edit_submission(w.users["vestland"], bergen)
    assert can_review_submission(w.users["vestland"], bergen)
    assert not can_review_submission(w.users["vestland"], oslo)
    assert can_view_submission(w.users["bergen-leser"], bergen)
    assert not can_view_submission(w.users["bergen-leser"], oslo)
    bergen.state = "submitted"
    assert not can_edit_submission(w.users["bergen"], bergen)


def test_submission_rules_decided_in_python_agree_with_the_unit_queries():
    """can_view/can_edit/can_review_submission decide from the memberships cached for the request (no query) and
    say exactly what the unit querysets say, for every user and every participating unit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dugnad.rounds.models import Submission

    w = world_build()
    round_ = round_national(w)
    submissions = list(Submission.objects.filter(round=round_).select_related("round", "unit__parent"))
    assert {s.unit.level.code for s in submissions} >= {"country", "county", "municipality"}
    checked = 0
    for name, user in w.users.items():
        visible = set(units_visible_to(user).values_list("pk", flat=True))
        editable = set(units_editable_by(user).values_list("pk", flat=True))
        reviewable = set(units_reviewable_by(user).values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            for sub in submissions:
                assert can_view_submission(user, sub) == (sub.unit_id in visible), (name, sub.unit.code)
                assert can_edit_submission(user, sub) == (sub.unit_id in editable), (name, sub.unit.code)
                assert can_review_submission(user, sub) == (sub.unit_id in reviewable), (name, sub.unit.code)
                checked += 1
        assert len(queries) == 0, (name, [q["sql"][:80] for q in queries])
    assert checked == len(w.users) * len(submissions)
