"""Requests across levels in the web (list, send, answer), the signed-in workflow API and the open data API."""

from __future__ import annotations

import json

from dugnad.requests.models import LevelRequest
from dugnad.requests.services import request_send
from dugnad.requests.vocab import RequestLevel, RequestStatus
from tests.factories import PASSWORD


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def _to_county(world, **kw):
    args = {"user": world.users["bergen"], "from_unit": world.units["4601"], "to_level": RequestLevel.COUNTY,
            "title": "Fylket bør samordne skoleskyssen", "targets": [world.targets["11.6"]]}
    return request_send(**(args | kw))


def test_an_editor_sends_a_request_through_the_form(client, world):
    _login(client, "bergen")
    page = client.get("/henvendelser/ny/").content.decode()
    assert 'name="from_unit"' in page and "Bergen (4601)" in page
    response = client.post("/henvendelser/ny/", {
        "from_unit": str(world.units["4601"].pk), "to_level": "fylke", "to_body": "Samferdselsavdelingen",
        "title": "Vi trenger bedre busstilbud", "text": "Elevene har for lang reisevei.", "target_codes": "11.6",
        "indicator_codes": "T-C"})
    sent = LevelRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/henvendelser/{sent.pk}/"
    assert (sent.from_unit, sent.to_unit, sent.to_body, sent.status) == (
        world.units["4601"], world.units["46"], "Samferdselsavdelingen", RequestStatus.SUBMITTED)
    assert [t.code for t in sent.targets.all()] == ["11.6"] and [i.code for i in sent.indicators.all()] == ["T-C"]


def test_unknown_codes_and_a_municipality_without_the_level_are_named_and_nothing_is_sent(client, world):
    _login(client, "bergen")
    response = client.post("/henvendelser/ny/", {
        "from_unit": str(world.units["4601"].pk), "to_level": "stat", "to_unit": "Kinn (4602)", "title": "Noe",
        "target_codes": "11.6, 99.9", "indicator_codes": "NOPE"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Ukjente delmål: 99.9." in page and "Ukjente indikatorer: NOPE." in page
    assert "Velg «Kommune» som nivå" in page
    assert not LevelRequest.objects.exists()


def test_a_request_to_a_named_municipality_and_the_services_errors_come_back_on_the_form(client, world):
    _login(client, "bergen")
    response = client.post("/henvendelser/ny/", {"from_unit": str(world.units["4601"].pk), "to_level": "kommune",
                                                 "to_unit": "Kinn (4602)", "title": "Felles skoleskyss"})
    assert response.status_code == 302
    assert LevelRequest.objects.get().to_unit == world.units["4602"]
    to_itself = client.post("/henvendelser/ny/", {"from_unit": str(world.units["4601"].pk), "to_level": "kommune",
                                                  "title": "Til meg selv"})
    assert to_itself.status_code == 422 and "til seg selv" in to_itself.content.decode()
    assert LevelRequest.objects.count() == 1


def test_a_reader_cannot_send_and_anonymous_visitors_must_sign_in(client, world):
    assert client.get("/henvendelser/").status_code == 302
    _login(client, "bergen-leser")
    assert client.get("/henvendelser/ny/").status_code == 403


def test_the_list_shows_requests_sent_by_and_addressed_to_my_units(client, world):
    mine = _to_county(world)
    _to_county(world, user=world.users["oslo"], from_unit=world.units["0301"], to_level=RequestLevel.STATE,
               title="Oslo ber staten om noe")
    _login(client, "vestland")
    page = client.get("/henvendelser/").content.decode()
    assert mine.title in page and "Oslo ber staten om noe" not in page
    assert page.index("Til dine enheter") < page.index(mine.title) < page.index("Sendt fra dine enheter")
    client.logout()
    _login(client, "bergen")
    page = client.get("/henvendelser/").content.decode()
    assert page.index("Sendt fra dine enheter") < page.index(mine.title)
    assert client.get("/mitt-arbeid/").content.decode().count('href="/henvendelser/"') == 1


def test_the_county_coordinator_answers_and_the_sender_cannot(client, world):
    item = _to_county(world)
    _login(client, "bergen")
    assert 'name="status"' not in client.get(f"/henvendelser/{item.pk}/").content.decode()
    assert client.post(f"/henvendelser/{item.pk}/status/", {"status": "answered", "answer": "Ja"}).status_code == 403
    client.logout()
    _login(client, "vestland")
    page = client.get(f"/henvendelser/{item.pk}/").content.decode()
    assert 'value="received"' in page and 'value="answered"' in page and 'value="declined"' in page
    empty = client.post(f"/henvendelser/{item.pk}/status/", {"status": "answered", "answer": " "})
    assert empty.status_code == 422 and "Skriv et svar." in empty.content.decode()
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED
    done = client.post(f"/henvendelser/{item.pk}/status/", {"status": "answered", "answer": "Vi ser på det."})
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.answer, item.answered_by) == (RequestStatus.ANSWERED, "Vi ser på det.",
                                                              world.users["vestland"])
    assert 'value="followed_up"' in client.get(f"/henvendelser/{item.pk}/").content.decode()
    wrong = client.post(f"/henvendelser/{item.pk}/status/", {"status": "received"})
    assert wrong.status_code == 422 and "Kan ikke gå fra «Besvart»" in wrong.content.decode()


def test_a_request_you_cannot_read_is_not_found(client, world):
    item = _to_county(world)
    _login(client, "oslo")
    assert client.get(f"/henvendelser/{item.pk}/").status_code == 404


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_workflow_api_sends_reads_and_answers(client, world):
    assert client.get("/api/requests").status_code == 401
    _login(client, "bergen")
    created = _post(client, "/api/requests", {"from_unit": "4601", "to_level": "fylke", "title": "Bedre busstilbud",
                                              "targets": ["11.6"], "indicators": [world.indicators[2].pk]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["to_unit"], body["status"], body["targets"], body["indicators"]) == ("46", "submitted", ["11.6"], ["T-C"])
    assert [r["id"] for r in client.get("/api/requests?to_level=fylke").json()] == [body["id"]]
    assert _post(client, f"/api/requests/{body['id']}/status", {"status": "received"}).status_code == 403
    assert _post(client, "/api/requests", {"from_unit": "4602", "to_level": "stat", "title": "x"}).status_code == 403
    client.logout()
    _login(client, "vestland")
    assert client.get(f"/api/requests/{body['id']}").json()["title"] == "Bedre busstilbud"
    declined = _post(client, f"/api/requests/{body['id']}/status", {"status": "declined"})
    assert declined.status_code == 422 and declined.json()["problems"][0]["column"] == "answer"
    answered = _post(client, f"/api/requests/{body['id']}/status", {"status": "answered", "answer": "Ja."})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"


def test_the_open_api_lists_requests_without_who_wrote_them(client, world):
    item = _to_county(world, is_demo=True)
    _to_county(world, to_level=RequestLevel.STATE, title="Til staten")
    body = client.get("/api/v1/requests?to_level=fylke").json()
    assert body["count"] == 1 and body["demo"] is True and body["note"]
    row = body["items"][0]
    assert (row["id"], row["from_unit"], row["to_unit"], row["targets"], row["status"]) == (
        item.pk, "4601", "46", ["11.6"], "submitted")
    assert "bergen" not in json.dumps(body)
    assert client.get("/api/v1/requests?unit=4601").json()["count"] == 2
    assert client.get("/api/v1/requests?unit=9999").status_code == 422
