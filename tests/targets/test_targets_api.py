"""The targets in the APIs: the signed-in list and set (role-checked), the anonymous ``/api/v1/local-targets``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dugnad.targets.models import LocalTarget
from dugnad.targets.services import target_set
from dugnad.targets.vocab import CommitmentSource

pytestmark = pytest.mark.django_db


def _post(client, world, user, data):
    client.force_login(world.users[user])
    return client.post("/api/targets", json.dumps(data), content_type="application/json")


def _target(world, **kw):
    return {"unit": "4601", "indicator_id": world.indicators[0].pk, "value": 80, "source": "plan"} | kw


def test_an_editor_sets_a_target_and_a_second_save_is_version_2(client, world):
    first = _post(client, world, "bergen", _target(world, reference="Kommuneplanen"))
    assert first.status_code == 201, first.content
    second = _post(client, world, "bergen", _target(world, value=82.5, source="council_decision"))
    body = second.json()
    assert (body["version"], body["value"], body["source"], body["in_force"]) == (2, 82.5, "council_decision", True)
    listed = client.get("/api/targets/4601", {"history": "true"}).json()
    assert listed["may_set"] is True
    assert [(t["version"], t["in_force"]) for t in listed["targets"]] == [(2, True), (1, False)]
    assert [t["version"] for t in client.get("/api/targets/4601").json()["targets"]] == [2]


@pytest.mark.parametrize(("user", "unit", "status"), [
    ("kinn", "4601", 403), ("bergen-leser", "4601", 403), ("vestland", "4601", 403), ("vestland", "46", 201),
    ("ks", "0", 201), ("ks", "46", 403),
])
def test_only_people_acting_for_the_unit_may_set_it(client, world, user, unit, status):
    assert _post(client, world, user, _target(world, unit=unit)).status_code == status
    assert LocalTarget.objects.count() == (1 if status == 201 else 0)


def test_bad_input_is_a_located_422_and_nothing_is_written(client, world):
    year = _post(client, world, "bergen", _target(world, year=1999))
    assert year.status_code == 422 and "year" in json.dumps(year.json()["problems"])
    unknown = _post(client, world, "bergen", _target(world, indicator_id=999_999))
    assert unknown.status_code == 422 and "indicator_id" in json.dumps(unknown.json()["problems"])
    assert _post(client, world, "bergen", _target(world, unit="9999")).status_code == 404
    assert not LocalTarget.objects.exists()


def test_the_list_needs_a_login(client, world):
    assert client.get("/api/targets/4601").status_code == 401


def test_the_open_list_filters_by_unit_and_indicator_flags_demo_and_writes_csv(client, world):
    rate, count, _lower = world.indicators
    target_set(user=world.users["bergen"], unit=world.units["4601"], indicator=rate, value=80)
    target_set(user=world.users["bergen"], unit=world.units["4601"], indicator=rate, value=82.5, reference="Sak 1, 2")
    target_set(user=world.users["vestland"], unit=world.units["46"], indicator=count, value=150)
    LocalTarget.objects.create(unit=world.units["4602"], indicator=rate, value=60, source=CommitmentSource.DEMO,
                               is_demo=True)
    everything = client.get("/api/v1/local-targets").json()
    assert [(i["unit"], i["value"]) for i in everything["items"]] == [("46", 150), ("4601", 82.5), ("4602", 60)]
    assert everything["demo"] is True and everything["note"]
    bergen = client.get("/api/v1/local-targets", {"unit": "4601", "history": "true"}).json()
    assert [(i["version"], i["in_force"]) for i in bergen["items"]] == [(2, True), (1, False)]
    by_indicator = client.get("/api/v1/local-targets", {"indicator": count.code}).json()
    assert [i["unit"] for i in by_indicator["items"]] == ["46"] and by_indicator["demo"] is False
    assert client.get("/api/v1/local-targets", {"indicator": "NOPE"}).status_code == 422
    response = client.get("/api/v1/local-targets", {"unit": "4601,4602", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv") and response["X-Total-Count"] == "2"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["unit"], r["value"], r["reference"], r["demo"]) for r in rows] == [
        ("4601", "82.5", "Sak 1, 2", "false"), ("4602", "60.0", "", "true")]


def test_the_open_schema_documents_the_endpoint_with_csv(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/local-targets"]["get"]
    assert "text/csv" in operation["responses"]["200"]["content"]
    assert "/api/targets" in client.get("/api/openapi.json").json()["paths"]
