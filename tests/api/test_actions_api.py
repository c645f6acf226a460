"""API of actions, networks and the library: create, each partner's own part, workspace, gaps, search."""

from __future__ import annotations

import json

import pytest
from tests.factories import JOINT_WORK, PASSWORD, world_build
from tests.networks.test_networks import score_run

from dugnad.actions.models import Action


@pytest.fixture
def world(db):
    return world_build(JOINT_WORK)


def api(client, world, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_create_an_action_and_each_partner_updates_only_its_own_part(client, world):
    api(client, world, "vestland")
    created = post(client, "/api/actions", {"title": "Trygg skolevei", "lead_unit": "46", "targets": ["11.6"],
                                            "indicators": [{"indicator_id": world.indicators[2].pk, "direction": "down"}],
                                            "partners": [{"unit": "4601", "budget_share": 20}, {"unit": "4602"},
                                                         {"unit": "0", "role": "funder"}]})
    assert created.status_code == 201, created.content
    body = created.json()
    parts = {p["party"]: p for p in body["parts"]}
    assert {k: v["role"] for k, v in parts.items()} == {"46": "lead", "4601": "partner", "4602": "partner", "0": "funder"}
    api(client, world, "bergen")
    own = post(client, f"/api/actions/{body['id']}/parts/{parts['4601']['id']}", {"progress": 40, "note": "I gang"})
    assert own.status_code == 200 and own.json()["progress"] == 40
    other = post(client, f"/api/actions/{body['id']}/parts/{parts['4602']['id']}", {"progress": 90})
    assert other.status_code == 403
    assert post(client, f"/api/actions/{body['id']}/status", {"status": "completed"}).status_code == 403
    mine = client.get("/api/actions/units/4601").json()
    assert [(r["title"], r["role"], r["own_progress"]) for r in mine] == [("Trygg skolevei", "partner", 40)]
    detail = client.get(f"/api/actions/{body['id']}").json()
    assert detail["updates"][0]["text"] == "I gang"


def test_invalid_action_input_is_a_located_422_and_nothing_is_written(client, world):
    api(client, world, "vestland")
    response = post(client, "/api/actions", {"title": "X", "lead_unit": "46", "start": "2027-01-01", "end": "2026-01-01",
                                             "partners": [{"unit": "4601", "budget_share": 80}], "lead_budget_share": 50})
    assert response.status_code == 422
    assert {p["column"] for p in response.json()["problems"]} == {"end", "budget_share"}
    assert not Action.objects.exists()
    assert post(client, "/api/actions", {"title": "X", "lead_unit": "4601"}).status_code == 403


def test_a_network_through_the_api_with_gaps_and_a_joint_action(client, world):
    api(client, world, "vestland")
    created = post(client, "/api/networks", {"name": "Vestlandsnettverket", "kind": "county", "lead_unit": "46",
                                             "members": ["4601", "4602", "4624"]})
    assert created.status_code == 201, created.content
    network = created.json()
    score_run(world, {("4601", 0): "red", ("4602", 0): "red", ("4624", 0): "green"})
    gaps = client.get(f"/api/networks/{network['id']}/gaps").json()
    assert [(g["indicator"], g["red"]) for g in gaps] == [("T-A", 2)]
    joint = post(client, f"/api/networks/{network['id']}/actions",
                 {"title": "Felles tiltak", "partners": ["4601", "4602", "4624"], "indicator_id": gaps[0]["indicator_id"]})
    assert joint.status_code == 201
    assert client.get(f"/api/networks/{network['id']}").json()["actions"] == [joint.json()["id"]]
    invited = post(client, f"/api/networks/{network['id']}/invitations", {"units": ["4640"]})
    api(client, world, "sogndal")
    answer = post(client, f"/api/networks/invitations/{invited.json()[0]}/answer", {"accept": True})
    assert answer.json()["state"] == "accepted"
    api(client, world, "oslo")
    assert client.get(f"/api/networks/{network['id']}").status_code == 403


def test_library_search_through_the_api(client, world):
    from tests.networks.conftest import _library_units

    from dugnad.demo.practices import demo_cases_ensure

    _library_units(world)
    demo_cases_ensure(user=world.users["admin"])
    api(client, world, "bergen")
    result = client.get("/api/practices/search", {"q": "barnehager", "county": "46"}).json()
    assert [h["title"] for h in result["hits"]] == ["Uteskole og naturbarnehage for alle"]
    assert {f["value"] for f in result["facets"]["county"]} >= {"46", "03"}
    case = client.get(f"/api/practices/{result['hits'][0]['case_id']}").json()
    assert case["tags"][0] == "barnehage" and case["is_demo"] is True
    assert client.get("/api/practices/search", {"q": "x", "size": "huge"}).status_code == 422


def test_milestones_and_commitments_through_the_api(client, world):
    from dugnad.actions.agreements import CommitmentSpec, agreement_create
    from dugnad.actions.services import PartnerSpec, action_create

    action = action_create(user=world.users["vestland"], title="Tiltak", lead_unit=world.units["46"],
                           partners=[PartnerSpec(unit=world.units["4602"])])
    kinn = action.partners.get(unit__code="4602")
    api(client, world, "vestland")
    created = post(client, f"/api/actions/{action.pk}/milestones", {"title": "Oppstart", "due": "2026-05-01", "part_id": kinn.pk})
    assert created.status_code == 201 and created.json()["party"] == "4602"
    milestone = action.milestones.get()
    api(client, world, "bergen")
    assert post(client, f"/api/actions/{action.pk}/milestones/{milestone.pk}/done", {}).status_code == 403
    api(client, world, "kinn")
    assert post(client, f"/api/actions/{action.pk}/milestones/{milestone.pk}/done", {}).json()["done_on"] is not None
    agreement = agreement_create(user=world.users["vestland"], title="Avtale", parties=[world.units["46"], world.units["4602"]],
                                 commitments=[CommitmentSpec(1, "Dele data")])
    commitment = agreement.commitments.get()
    followed = post(client, f"/api/actions/agreements/commitments/{commitment.pk}", {"status": "delayed"})
    assert followed.json()["status"] == "delayed"
    api(client, world, "bergen")
    assert post(client, f"/api/actions/agreements/commitments/{commitment.pk}", {"status": "ended"}).status_code == 403
