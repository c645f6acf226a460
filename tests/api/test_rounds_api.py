"""The rounds API: open, list, values with conflicts, narratives, answers, review and the status overview."""

from __future__ import annotations

import json

import pytest
from tests.factories import round_national, submission_of, world_build

pytestmark = pytest.mark.django_db


def call(client, method, url, body=None):
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
    return response.status_code, response.json()


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/submissions/{submission_id}/values" in schema["paths"]


def test_anonymous_calls_are_refused(client):
    assert client.get("/api/rounds").status_code == 401


def test_a_coordinator_opens_a_round_and_reads_its_status(client):
    w = world_build()
    client.force_login(w.users["ks"])
    status, body = call(client, "post", "/api/rounds", {
        "title": "API-runde", "scope_unit": "0", "year": 2025, "deadline": "2031-01-01",
        "indicator_ids": [i.pk for i in w.indicators], "chapters": ["opening", "means"],
        "questions": [{"text": "Er målene med i planen?", "kind": "yes_no"}]})
    assert status == 201 and body["chapters"] == ["opening", "means"]
    status, overview = call(client, "get", f"/api/rounds/{body['id']}/status")
    assert overview["counts"] == {"draft": 6, "submitted": 0, "returned": 0, "approved": 0}
    assert [(u["unit"], u["status"]) for u in overview["units"]] == [
        ("0", "draft"), ("03", "draft"), ("0301", "draft"), ("46", "draft"), ("4601", "draft"), ("4602", "draft")]
    status, bad = call(client, "post", "/api/rounds", {"title": "X", "scope_unit": "0", "year": 2025,
                                                      "deadline": "2031-01-01", "indicator_ids": [], "chapters": ["x"]})
    assert status == 422 and {p["column"] for p in bad["problems"]} == {"indicators", "chapters"}


def test_an_editor_saves_through_the_api_and_gets_409_on_a_stale_revision(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    client.force_login(w.users["bergen"])
    ind = w.indicators[0].pk
    status, cell = call(client, "put", f"/api/submissions/{sub.pk}/values",
                        {"indicator_id": ind, "period": "2025", "value": "55,5", "revision": 0})
    assert (status, cell["value"], cell["revision"]) == (200, 55.5, 1)
    status, conflict = call(client, "put", f"/api/submissions/{sub.pk}/values",
                            {"indicator_id": ind, "period": "2025", "value": 60, "revision": 0})
    assert (status, conflict["current"], conflict["yours"], conflict["changed_by"]) == (409, 55.5, 60.0, "bergen")
    status, invalid = call(client, "put", f"/api/submissions/{sub.pk}/values",
                           {"indicator_id": ind, "period": "2025", "value": "101", "revision": 1})
    assert status == 422 and invalid["problems"][0]["column"] == "T-A 2025"
    status, narrative = call(client, "put", f"/api/submissions/{sub.pk}/narratives/goal:3", {"text": "Mål 3", "version": 0})
    assert (status, narrative["version"]) == (200, 1)
    status, nynorsk = call(client, "put", f"/api/submissions/{sub.pk}/narratives/goal:3",
                           {"text": "Mål 3 på nynorsk", "version": 1, "language": "nn"})
    assert (status, nynorsk["version"], nynorsk["language"]) == (200, 2, "nn")
    status, bad = call(client, "put", f"/api/submissions/{sub.pk}/narratives/goal:3",
                       {"text": "x", "version": 2, "language": "de"})
    assert status == 422 and bad["problems"][0]["column"] == "language"
    question = sub.round.questions.get(position=3)
    status, answer = call(client, "put", f"/api/submissions/{sub.pk}/answers/{question.pk}", {"answer": "Ordfører", "version": 0})
    assert (status, answer["answer"]) == (200, "Ordfører")
    status, body = call(client, "get", f"/api/submissions/{sub.pk}")
    assert [v["value"] for v in body["values"] if v["period"] == "2025" and v["indicator_id"] == ind] == [55.5]
    status, body = call(client, "post", f"/api/submissions/{sub.pk}/submit",
                        {"version": body["version"], "confirm_incomplete": True})
    assert (status, body["status"]) == (200, "submitted")
    client.force_login(w.users["vestland"])
    status, body = call(client, "post", f"/api/submissions/{sub.pk}/approve", {"version": body["version"]})
    assert (status, body["status"]) == (200, "approved")
