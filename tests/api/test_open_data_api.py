"""The open data API under /api/v1/: the contract of issue 19 without login, formats, paging, caching headers, CORS,
carried series, demo labels and located errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from tests.factories import FrameworkFactory, IndicatorFactory, IndicatorSpecFactory, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """The shipped registry and population, two indicators and Oslo's and Halden's (3001, before 2024) values."""
    from dugnad.units.services import population_load_snapshot, registry_load_snapshot

    registry_load_snapshot()
    population_load_snapshot()
    framework = FrameworkFactory(code="test")
    people = IndicatorFactory(framework=framework, code="PEOPLE")
    share = IndicatorFactory(framework=framework, code="SHARE")
    IndicatorSpecFactory(indicator=people, aggregation="sum", upper_bound=200_000, lower_bound=0)
    IndicatorSpecFactory(indicator=share, aggregation="mean")
    run_import([
        {"unit": "0301", "indicator": "PEOPLE", "year": "2022", "value": 700000},
        {"unit": "0301", "indicator": "PEOPLE", "year": "2023", "value": 709000},
        {"unit": "0301", "indicator": "SHARE", "year": "2023", "value": 12.5},
        {"unit": "3001", "indicator": "PEOPLE", "year": "2023", "value": 31300},
    ])
    run_import([{"unit": "0301", "indicator": "SHARE", "year": "2022", "value": 11.0}], is_demo=True,
               source="demo.csv")
    return {"people": people, "share": share}


@pytest.fixture
def client():
    return Client()  # anonymous: no login anywhere in this module


def test_counties_on_2024_01_01_are_the_15_with_code_name_and_population(world, client):
    response = client.get("/api/v1/units", {"level": "county", "on": "2024-01-01"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 15 and len(body["items"]) == 15
    oslo = next(item for item in body["items"] if item["code"] == "03")
    assert oslo["name"] == "Oslo" and oslo["level"] == "county"
    assert all({"code", "name", "population"} <= set(item) for item in body["items"])
    assert all(isinstance(item["population"], int) and item["population"] > 50_000 for item in body["items"])
    assert client.get("/api/v1/units", {"level": "county", "on": "2019-12-31"}).json()["count"] == 18


def test_observations_of_oslo_as_tidy_csv(world, client):
    response = client.get("/api/v1/observations", {"unit": "0301", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["unit", "indicator", "period"] and rows[0][-3:] == ["value", "status", "note"]
    assert "demo" in rows[0]
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {(r["unit"], r["indicator"], r["period"], r["value"], r["demo"]) for r in body} == {
        ("0301", "PEOPLE", "2022", "700000", "false"), ("0301", "PEOPLE", "2023", "709000", "false"),
        ("0301", "SHARE", "2022", "11", "true"), ("0301", "SHARE", "2023", "12.5", "false")}
    notes = {(r["indicator"], r["period"]): r["note"] for r in body}
    assert notes[("SHARE", "2022")] == "Demodata – ikke ekte tall"
    assert all(note and "Demodata" not in note for key, note in notes.items() if key != ("SHARE", "2022"))
    items = client.get("/api/v1/observations", {"unit": "0301", "indicator": "SHARE"}).json()["items"]
    assert {i["period"]: i["note"] for i in items}["2022"] == "Demodata – ikke ekte tall"


def test_observations_as_json_stat_2_dataset(world, client):
    response = client.get("/api/v1/observations", {"unit": "0301", "format": "jsonstat"})

    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "2.0" and data["class"] == "dataset"
    assert data["id"] == ["Region", "ContentsCode", "Tid"] and data["size"] == [1, 2, 2]
    assert len(data["value"]) == 4 and all(len(data["dimension"][d]["category"]["index"]) == n
                                           for d, n in zip(data["id"], data["size"], strict=True))
    tid = data["dimension"]["Tid"]["category"]["index"]
    contents = data["dimension"]["ContentsCode"]["category"]["index"]
    assert data["value"][contents["PEOPLE"] * 2 + tid["2023"]] == 709000
    assert data["note"] and data["extension"]["demo"] is True  # the demo value of 2022 is labelled
    pyjstat = pytest.importorskip("pyjstat.pyjstat")
    frame = pyjstat.Dataset.read(response.content.decode()).write("dataframe")
    assert len(frame) == 4 and set(frame.columns) >= {"Region", "ContentsCode", "Tid", "value"}


def test_observations_json_flags_demo_values_and_pages(world, client):
    body = client.get("/api/v1/observations", {"unit": "0301", "limit": 2, "offset": 1}).json()

    assert body["count"] == 4 and body["limit"] == 2 and len(body["items"]) == 2
    assert body["demo"] is True and body["note"]
    assert [(i["indicator"], i["period"], i["demo"]) for i in body["items"]] == [
        ("PEOPLE", "2023", False), ("SHARE", "2022", True)]
    only = client.get("/api/v1/observations", {"indicator": "PEOPLE", "period": "2023"}).json()
    assert {(i["unit"], i["value"]) for i in only["items"]} == {("0301", 709000), ("3001", 31300)}
    assert only["demo"] is False and only["note"] == ""


def test_observations_on_a_date_are_carried_onto_the_units_in_force(world, client):
    body = client.get("/api/v1/observations", {"level": "municipality", "indicator": "PEOPLE",
                                               "on": "2024-01-01"}).json()

    by_unit = {(i["unit"], i["period"]): i for i in body["items"]}
    assert by_unit[("3101", "2023")]["value"] == 31300 and by_unit[("3101", "2023")]["carried_from"] == "3001"
    assert by_unit[("0301", "2023")]["carried_from"] == ""
    assert not any(unit == "3001" for unit, _ in by_unit)


def test_etag_cache_control_and_cors(world, client):
    first = client.get("/api/v1/goals")

    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get("/api/v1/goals", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/goals", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_indicators_with_specs_and_scores_without_a_run(world, client):
    items = client.get("/api/v1/indicators", {"framework": "test"}).json()["items"]

    people = next(i for i in items if i["code"] == "PEOPLE")
    assert people["spec"]["aggregation"] == "sum" and people["spec"]["upper_bound"] == 200_000
    scores = client.get("/api/v1/scores").json()
    assert scores["run"] is None and scores["items"] == []


def test_bad_queries_are_422_with_the_located_problem(world, client):
    level = client.get("/api/v1/units", {"level": "planet"})
    indicator = client.get("/api/v1/observations", {"indicator": "NOPE"})
    limit = client.get("/api/v1/units", {"limit": 0})

    assert level.status_code == 422 and level.json()["problems"][0]["path"] == "query.level"
    assert indicator.status_code == 422 and indicator.json()["problems"][0]["path"] == "query.indicator"
    assert limit.status_code == 422 and "limit" in limit.json()["problems"][0]["path"]
    assert level["Access-Control-Allow-Origin"] == "*"  # other sites' pages can read the problem too


def test_the_schema_documents_every_open_data_path_and_csv(db, client):
    schema = client.get("/api/v1/openapi.json").json()

    assert set(schema["paths"]) == {f"/api/v1/{name}" for name in
                                    ("units", "goals", "targets", "indicators", "observations", "scores", "requests",
                                     "local-targets")}
    observations = schema["paths"]["/api/v1/observations"]["get"]
    assert "text/csv" in observations["responses"]["200"]["content"]
    assert {"304", "422", "429"} <= set(observations["responses"])
    assert json.dumps(schema).count("security") == 0  # anonymous


def test_each_address_is_held_to_the_request_limit(db, client, monkeypatch):
    from django.core.cache import caches

    from dugnad.api.open_data import api

    cache = caches["throttle"]  # request counts stay in process memory, apart from the shared page cache
    cache.clear()
    for throttle in api.throttle:
        monkeypatch.setattr(throttle, "num_requests", 2)
    answers = [client.get("/api/v1/goals").status_code for _ in range(3)]
    limited = client.get("/api/v1/goals")
    other = Client(REMOTE_ADDR="10.0.0.9").get("/api/v1/goals").status_code
    cache.clear()

    assert answers == [200, 200, 429]
    assert limited["Access-Control-Allow-Origin"] == "*"
    assert other == 200


def test_scores_are_those_of_the_newest_finished_run_and_flag_demo_data(world, client):
    from django.utils import timezone

    from dugnad.scores.models import GoalScore, IndexScore, ScoreRun
    from dugnad.units.selectors import unit_current

    oslo, bergen = unit_current("0301"), unit_current("4601")
    old = ScoreRun.objects.create(method="sdsn", method_version="1", data_revision="x", fingerprint="a", status="done",
                                  finished_at=timezone.now())
    GoalScore.objects.create(run=old, unit=oslo, goal=3, score=10.0)
    run = ScoreRun.objects.create(method="sdsn", method_version="1", data_revision="y", fingerprint="b", status="done",
                                  finished_at=timezone.now())
    for unit, score in ((oslo, 55.5), (bergen, 60.0)):
        GoalScore.objects.create(run=run, unit=unit, goal=3, score=score, colour="yellow", trend="improving")
        IndexScore.objects.create(run=run, unit=unit, score=score, rank=1 if unit == bergen else 2)

    body = client.get("/api/v1/scores", {"unit": "0301"}).json()

    assert body["run"]["id"] == run.pk and body["count"] == 1
    assert body["items"][0]["unit"] == "0301" and body["items"][0]["index"] == 55.5 and body["items"][0]["rank"] == 2
    assert body["items"][0]["goals"] == [{"goal": 3, "score": 55.5, "colour": "yellow", "trend": "improving",
                                          "imputed": False}]
    assert body["demo"] is True and body["note"]  # the world holds one demo import
    assert client.get("/api/v1/scores", {"level": "municipality"}).json()["count"] == 2
