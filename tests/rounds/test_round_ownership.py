"""Who may close and reopen a round (issue 13): its owner only — KS for a national round, the county's coordinator
for a county round — checked by the service, the web and the API; a refused attempt changes nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from tests.factories import round_national, world_build

from dugnad.rounds.models import AuditEntry, Round
from dugnad.rounds.services import PermissionDenied, round_close, round_reopen

pytestmark = pytest.mark.django_db


def county_round(w, county="46", user="vestland"):
    return round_national(w, user=w.users[user], scope_unit=w.units[county], title=f"Fylkesrunde {county}")


def test_a_county_coordinator_can_neither_close_nor_reopen_a_national_round():
    w = world_build()
    national = round_national(w)
    with pytest.raises(PermissionDenied):
        round_close(user=w.users["vestland"], round_=national, confirmation=national.title)
    assert Round.objects.get(pk=national.pk).state == "open"
    round_close(user=w.users["ks"], round_=national, confirmation=national.title)
    with pytest.raises(PermissionDenied):
        round_reopen(user=w.users["vestland"], round_=national, reason="Vi trenger mer tid")
    assert Round.objects.get(pk=national.pk).state == "closed"
    assert not AuditEntry.objects.filter(action="round_reopen").exists()
    round_reopen(user=w.users["ks"], round_=national, reason="Fristen ble forlenget")
    entry = AuditEntry.objects.get(action="round_reopen")
    assert entry.user == w.users["ks"] and entry.after["reason"] == "Fristen ble forlenget"


def test_a_county_coordinator_closes_and_reopens_its_own_county_round_but_not_another_county():
    w = world_build()
    vestland, oslo = county_round(w), county_round(w, "03", "oslo-fylke")
    with pytest.raises(PermissionDenied):
        round_close(user=w.users["vestland"], round_=oslo, confirmation=oslo.title)
    round_close(user=w.users["vestland"], round_=vestland, confirmation=vestland.title)
    round_close(user=w.users["oslo-fylke"], round_=oslo, confirmation=oslo.title)
    with pytest.raises(PermissionDenied):
        round_reopen(user=w.users["vestland"], round_=oslo, reason="Feil fylke")
    assert Round.objects.get(pk=oslo.pk).state == "closed"
    round_reopen(user=w.users["vestland"], round_=vestland, reason="En kommune manglet")
    assert Round.objects.get(pk=vestland.pk).state == "open"
    entry = AuditEntry.objects.get(action="round_reopen")
    assert entry.user == w.users["vestland"] and entry.object_key == str(vestland.pk)


def test_the_web_and_the_api_refuse_a_county_coordinator_on_a_round_it_does_not_own(client):
    w = world_build()
    national, oslo = round_national(w), county_round(w, "03", "oslo-fylke")
    round_close(user=w.users["oslo-fylke"], round_=oslo, confirmation=oslo.title)
    client.force_login(w.users["vestland"])
    page = client.get(reverse("round-detail", args=[national.pk])).text
    assert "Lukk runden" not in page and "Gjenåpne runden" not in page
    assert client.post(reverse("round-close", args=[national.pk]), {"confirmation": national.title}).status_code == 403
    response = client.post(f"/api/rounds/{national.pk}/close", data=json.dumps({"confirmation": national.title}),
                           content_type="application/json")
    assert response.status_code == 403
    assert client.post(reverse("round-reopen", args=[oslo.pk]), {"reason": "Feil"}).status_code in (403, 404)
    assert Round.objects.get(pk=national.pk).state == "open" and Round.objects.get(pk=oslo.pk).state == "closed"
    round_close(user=w.users["ks"], round_=national, confirmation=national.title)
    assert client.post(reverse("round-reopen", args=[national.pk]), {"reason": "Feil"}).status_code == 403
    assert Round.objects.get(pk=national.pk).state == "closed"
    client.force_login(w.users["ks"])
    assert client.post(reverse("round-reopen", args=[national.pk]), {"reason": "Ny frist"}).status_code == 302
    assert Round.objects.get(pk=national.pk).state == "open"
