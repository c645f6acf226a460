"""Web pages of networks and the library: create, workspace, shared gaps, joint action, invitations, search, peers."""

from __future__ import annotations

from dugnad.networks.models import Invitation, Network
from tests.factories import PASSWORD
from tests.networks.test_networks import score_run, vestland_network


def login(client, w, username):
    assert client.login(username=username, password=PASSWORD)


def test_a_county_coordinator_creates_a_network_of_own_municipalities(client, world):
    login(client, world, "vestland")
    form = client.get("/nettverk/nytt/").content.decode()
    assert "Bergen (4601)" in form and "Oslo (0301)" not in form
    response = client.post("/nettverk/nytt/", {"name": "Vestlandsnettverket", "kind": "county", "lead": world.units["46"].pk,
                                              "members": [world.units["4601"].pk, world.units["4602"].pk]})
    network = Network.objects.get(name="Vestlandsnettverket")
    assert response["Location"] == f"/nettverk/{network.pk}/"
    assert "Vestlandsnettverket" in client.get("/nettverk/").content.decode()
    assert client.get(f"/nettverk/{network.pk}/").status_code == 200


def test_a_municipal_editor_cannot_open_someone_elses_workspace(client, world):
    network = vestland_network(world)
    login(client, world, "oslo")
    assert client.get(f"/nettverk/{network.pk}/").status_code == 403
    assert client.get(f"/nettverk/{network.pk}/gap/").status_code == 403


def test_the_gap_view_links_to_a_joint_action_with_member_partners(client, world):
    network = vestland_network(world)
    score_run(world, {("4601", 0): "red", ("4602", 0): "orange", ("4624", 0): "green"})
    login(client, world, "vestland")
    html = client.get(f"/nettverk/{network.pk}/gap/").content.decode()
    indicator = world.indicators[0]
    link = f"/nettverk/{network.pk}/tiltak/nytt/?indikator={indicator.pk}"
    assert "T-A" in html and link in html
    response = client.post(link, {"title": "Felles frisklivstilbud", "indicator": indicator.pk, "direction": "up",
                                  "partners": [world.units[c].pk for c in ("4601", "4602", "4624")]})
    action = network.actions.get()
    assert response["Location"] == f"/tiltak/{action.pk}/"
    assert action.indicator_links.get().indicator == indicator
    assert sorted(action.partners.values_list("unit__code", flat=True)) == ["46", "4601", "4602", "4624"]


def test_an_invitation_is_answered_from_the_network_list(client, world):
    network = vestland_network(world)
    login(client, world, "vestland")
    client.post(f"/nettverk/{network.pk}/inviter/", {"units": [world.units["4640"].pk]})
    invitation = Invitation.objects.get()
    workspace = client.get(f"/nettverk/{network.pk}/")
    assert workspace.status_code == 200 and "Sogndal – Venter på svar" in workspace.content.decode()
    login(client, world, "sogndal")
    assert network.name in client.get("/nettverk/").content.decode()
    client.post(f"/nettverk/invitasjoner/{invitation.pk}/svar/", {"svar": "ja"})
    assert network.members.filter(unit__code="4640").exists()


def test_a_member_adds_a_meeting_note(client, world):
    network = vestland_network(world)
    login(client, world, "kinn")
    client.post(f"/nettverk/{network.pk}/notat/",
                {"kind": "meeting_note", "title": "Samling i Florø", "body": "Vi delte erfaringer."})
    assert "Samling i Florø" in client.get(f"/nettverk/{network.pk}/").content.decode()


def test_library_search_page_shows_hits_and_facets(client, library):
    html = client.get("/eksempler/", {"q": "barnehager"}).content.decode()
    assert "Uteskole og naturbarnehage for alle" in html and "Gratis kjernetid" in html
    assert "Mål 4" in html and "county=46" in html
    filtered = client.get("/eksempler/", {"q": "barnehager", "county": "46"}).content.decode()
    assert "Uteskole" in filtered and "Gratis kjernetid" not in filtered
    detail = client.get(f"/eksempler/{library['vanntap']}/").content.decode()
    assert "Lekkasjesøk og fornying av vannledninger" in detail and "knut.rod@example.no" in detail


def test_peer_suggestions_page_for_a_red_indicator(client, world):
    score_run(world, {("4602", 0): "red", ("4624", 0): "green"})
    html = client.get("/enheter/4602/forslag/", {"indikator": world.indicators[0].pk}).content.decode()
    assert "Bjørnafjorden" in html


def test_proposing_from_a_shared_gap_ticks_the_municipalities_that_share_it(client, world):
    import re

    network = vestland_network(world)  # Bergen, Kinn and Bjørnafjorden
    score_run(world, {("4601", 0): "red", ("4602", 0): "orange", ("4624", 0): "green"})
    login(client, world, "vestland")
    html = client.get(f"/nettverk/{network.pk}/tiltak/nytt/?indikator={world.indicators[0].pk}").content.decode()
    ticked = {int(v) for v in re.findall(r'<input[^>]*value="(\d+)"[^>]*checked', html)}
    assert ticked == {world.units["4601"].pk, world.units["4602"].pk}
    assert f'<option value="{world.indicators[0].pk}" selected' in html
