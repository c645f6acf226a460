"""The permission matrix: every role × every write view and API endpoint, allowed or denied (403, nothing changes)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse
from tests.factories import REPORTING, round_national, submission_of, world_build

from dugnad.observations.models import Observation
from dugnad.rounds.models import AuditEntry, Narrative, Round, Snapshot, Submission, SurveyAnswer
from dugnad.rounds.services import submission_submit

pytestmark = pytest.mark.django_db

ROLES = [name for name, _role, _unit in REPORTING.users] + ["anonymous"]
EDITORS = {"bergen", "admin"}
REVIEWERS = {"vestland", "ks", "admin"}
NATIONAL = {"ks", "admin"}


@dataclass(frozen=True)
class Action:
    """One write: how to send it (web form or API JSON) and who may do it."""

    name: str
    allowed: frozenset
    submitted_first: bool = False
    changes: bool = True


ACTIONS = [
    Action("web-value", frozenset(EDITORS)),
    Action("web-narrative", frozenset(EDITORS)),
    Action("web-answer", frozenset(EDITORS)),
    Action("web-submit", frozenset(EDITORS)),
    Action("web-refresh", frozenset(EDITORS), changes=False),  # SSB sync not configured in tests: a message only
    Action("web-return", frozenset(REVIEWERS), submitted_first=True),
    Action("web-approve", frozenset(REVIEWERS), submitted_first=True),
    Action("web-round-open", frozenset(NATIONAL)),
    Action("web-round-close", frozenset(NATIONAL)),
    Action("api-value", frozenset(EDITORS)),
    Action("api-narrative", frozenset(EDITORS)),
    Action("api-answer", frozenset(EDITORS)),
    Action("api-submit", frozenset(EDITORS)),
    Action("api-return", frozenset(REVIEWERS), submitted_first=True),
    Action("api-approve", frozenset(REVIEWERS), submitted_first=True),
    Action("api-round-open", frozenset(NATIONAL)),
    Action("api-round-close", frozenset(NATIONAL)),
]


def state_of_everything():
    """A fingerprint of every row a write could change."""
    return (
        list(Observation.objects.order_by("pk").values_list("pk", "value", "is_current")),
        list(Narrative.objects.values_list("pk", "text", "version")),
        list(SurveyAnswer.objects.values_list("pk", "value", "version")),
        list(Submission.objects.order_by("pk").values_list("pk", "state", "version")),
        list(Round.objects.values_list("pk", "state")),
        Snapshot.objects.count(),
        AuditEntry.objects.count(),
    )


def send(client, action: str, w, round_, sub):
    """Perform one write as the client's user; the response."""
    ind = w.indicators[0]
    question = round_.questions.get(position=1)
    web = {
        "web-value": ("submission-value", [sub.pk], {"indicator": ind.pk, "period": "2025", "value": "42", "revision": "0"}),
        "web-narrative": ("submission-narrative", [sub.pk], {"key": "chapter:opening", "text": "Tekst", "version": "0"}),
        "web-answer": ("submission-answer", [sub.pk], {"question": question.pk, "answer": "ja", "version": "0"}),
        "web-submit": ("submission-submit", [sub.pk], {"version": str(sub.version), "confirm_incomplete": "on"}),
        "web-refresh": ("submission-refresh", [sub.pk], {}),
        "web-return": ("submission-return", [sub.pk], {"version": str(sub.version), "comment": "Rett tallene"}),
        "web-approve": ("submission-approve", [sub.pk], {"version": str(sub.version)}),
        "web-round-open": ("round-new", [], {"rammeverk": "test", "title": "Ny", "scope": w.units["0"].pk, "year": 2025,
                                             "deadline": "2031-01-01", "indicators": [ind.pk], "chapters": ["opening"],
                                             "questions": ""}),
        "web-round-close": ("round-close", [round_.pk], {"confirmation": round_.title}),
    }
    if action in web:
        name, args, data = web[action]
        return client.post(reverse(name, args=args), data)
    api = {
        "api-value": ("put", f"/api/submissions/{sub.pk}/values", {"indicator_id": ind.pk, "period": "2025", "value": "42",
                                                                   "revision": 0}),
        "api-narrative": ("put", f"/api/submissions/{sub.pk}/narratives/chapter:opening", {"text": "Tekst", "version": 0}),
        "api-answer": ("put", f"/api/submissions/{sub.pk}/answers/{question.pk}", {"answer": True, "version": 0}),
        "api-submit": ("post", f"/api/submissions/{sub.pk}/submit", {"version": sub.version, "confirm_incomplete": True}),
        "api-return": ("post", f"/api/submissions/{sub.pk}/return", {"version": sub.version, "comment": "Rett tallene"}),
        "api-approve": ("post", f"/api/submissions/{sub.pk}/approve", {"version": sub.version}),
        "api-round-open": ("post", "/api/rounds", {"title": "Ny", "scope_unit": "0", "year": 2025, "deadline": "2031-01-01",
                                                   "indicator_ids": [ind.pk], "chapters": ["opening"]}),
        "api-round-close": ("post", f"/api/rounds/{round_.pk}/close", {"confirmation": round_.title}),
    }
    method, url, body = api[action]
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, role, action):
    w = world_build()
    round_ = round_national(w)
    sub = submission_of(round_, "4601")
    if action.submitted_first:
        sub = submission_submit(user=w.users["bergen"], submission=sub, confirm_incomplete=True)
    if role != "anonymous":
        client.force_login(w.users[role])
    before = state_of_everything()
    response = send(client, action.name, w, round_, sub)
    if role in action.allowed:
        assert response.status_code in (200, 201, 302), response.content[:300]
        assert (state_of_everything() != before) is action.changes
    else:
        expected = {"anonymous": 401 if action.name.startswith("api-") else 302}.get(role, 403)
        assert response.status_code == expected, response.content[:300]
        if expected == 302:
            assert reverse("login") in response["Location"]
        assert state_of_everything() == before


@pytest.mark.parametrize("via", ["web", "api"])
def test_a_bergen_editor_writing_to_oslo_gets_403_and_nothing_changes(client, via):
    w = world_build()
    oslo = submission_of(round_national(w), "0301")
    client.force_login(w.users["bergen"])
    before = state_of_everything()
    if via == "web":
        response = client.post(reverse("submission-value", args=[oslo.pk]),
                               {"indicator": w.indicators[0].pk, "period": "2025", "value": "1", "revision": "0"})
    else:
        response = client.put(f"/api/submissions/{oslo.pk}/values", content_type="application/json",
                              data=json.dumps({"indicator_id": w.indicators[0].pk, "period": "2025", "value": 1, "revision": 0}))
    assert response.status_code == 403
    assert state_of_everything() == before


def test_readers_can_read_but_not_see_other_units(client):
    w = world_build()
    round_ = round_national(w)
    client.force_login(w.users["bergen-leser"])
    assert client.get(reverse("submission-detail", args=[submission_of(round_, "4601").pk])).status_code == 200
    assert client.get(reverse("submission-detail", args=[submission_of(round_, "0301").pk])).status_code == 403
    assert client.get(f"/api/submissions/{submission_of(round_, '0301').pk}").status_code == 403
    status = client.get(f"/api/rounds/{round_.pk}/status").json()
    assert [u["unit"] for u in status["units"]] == ["4601"]
