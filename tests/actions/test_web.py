"""Web pages of actions: create, each partner saves only its own part, the unit page lists the unit's actions."""

from __future__ import annotations

from dugnad.actions.models import Action, ActionTemplate
from dugnad.actions.services import PartnerSpec, action_create
from tests.factories import PASSWORD


def login(client, w, username):
    assert client.login(username=username, password=PASSWORD)


def joint(w):
    return action_create(user=w.users["vestland"], title="Felles skolevei", lead_unit=w.units["46"],
                         partners=[PartnerSpec(unit=w.units[c]) for c in ("4601", "4602")])


def test_an_editor_creates_an_action_with_partners_through_the_form(client, world):
    login(client, world, "bergen")
    page = client.get("/tiltak/nytt/")
    assert page.status_code == 200 and "Bergen (4601)" in page.content.decode()
    response = client.post("/tiltak/nytt/", {
        "title": "Sykkelparkering", "lead": world.units["4601"].pk, "partners": [world.units["4602"].pk],
        "status": "planned", "targets": "11.6", "visibility": "public", "description": "",
    })
    action = Action.objects.get(title="Sykkelparkering")
    assert response.status_code == 302 and response["Location"] == f"/tiltak/{action.pk}/"
    assert sorted(action.partners.values_list("unit__code", "role")) == [("4601", "lead"), ("4602", "partner")]


def test_unknown_targets_are_named_and_nothing_is_created(client, world):
    login(client, world, "bergen")
    response = client.post("/tiltak/nytt/", {"title": "X", "lead": world.units["4601"].pk, "status": "planned",
                                             "targets": "11.6 99.9", "visibility": "public"})
    assert response.status_code == 200 and "99.9" in response.content.decode()
    assert not Action.objects.exists()


def test_a_partner_sees_a_form_only_for_its_own_part_and_cannot_post_to_another(client, world):
    action = joint(world)
    bergen, kinn = action.partners.get(unit__code="4601"), action.partners.get(unit__code="4602")
    login(client, world, "bergen")
    html = client.get(f"/tiltak/{action.pk}/").content.decode()
    assert f"/tiltak/{action.pk}/del/{bergen.pk}/" in html and f"/tiltak/{action.pk}/del/{kinn.pk}/" not in html
    ok = client.post(f"/tiltak/{action.pk}/del/{bergen.pk}/",
                     {f"p{bergen.pk}-progress": "40", f"p{bergen.pk}-note": "Godt i gang"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "Lagret" in ok.content.decode()
    denied = client.post(f"/tiltak/{action.pk}/del/{kinn.pk}/", {f"p{kinn.pk}-progress": "90"}, HTTP_HX_REQUEST="true")
    assert denied.status_code == 403
    kinn.refresh_from_db()
    assert kinn.progress == 0
    bad = client.post(f"/tiltak/{action.pk}/del/{bergen.pk}/", {f"p{bergen.pk}-progress": "140"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422


def test_the_unit_page_lists_the_units_actions_with_its_role(client, world):
    action = joint(world)
    html = client.get("/enheter/4602/").content.decode()
    assert action.title in html and "Partner" in html
    assert action.title not in client.get("/enheter/0301/").content.decode()


def test_a_partners_only_action_is_hidden_from_strangers(client, world):
    action = action_create(user=world.users["bergen"], title="Internt tiltak", lead_unit=world.units["4601"],
                           visibility="partners")
    assert client.get(f"/tiltak/{action.pk}/").status_code == 403
    login(client, world, "oslo")
    assert client.get(f"/tiltak/{action.pk}/").status_code == 403
    assert "Internt tiltak" not in client.get("/tiltak/").content.decode()
    login(client, world, "vestland")
    assert client.get(f"/tiltak/{action.pk}/").status_code == 200


def test_copy_a_template_into_my_plan_from_the_catalogue(client, world):
    template = ActionTemplate.objects.create(target=world.targets["4.2"], title="Barnehageplass til alle",
                                             description="Oppsøk familier.")
    login(client, world, "kinn")
    assert "Kopier til min plan" in client.get("/tiltak/katalog/").content.decode()
    response = client.post(f"/tiltak/katalog/{template.pk}/kopier/", {"unit": world.units["4602"].pk})
    action = Action.objects.get(template=template)
    assert response["Location"] == f"/tiltak/{action.pk}/" and action.lead.unit.code == "4602"
    assert client.post(f"/tiltak/katalog/{template.pk}/kopier/", {"unit": world.units["4601"].pk}).status_code == 403


def test_the_lead_adds_a_milestone_and_the_owning_partner_completes_it(client, world):
    action = joint(world)
    kinn = action.partners.get(unit__code="4602")
    login(client, world, "bergen")
    client.post(f"/tiltak/{action.pk}/milepaeler/", {"title": "Oppstart", "due": "2026-05-01"})
    assert not action.milestones.exists()
    login(client, world, "vestland")
    client.post(f"/tiltak/{action.pk}/milepaeler/", {"title": "Fortau ferdig", "due": "2026-09-01", "partner": kinn.pk})
    milestone = action.milestones.get()
    assert milestone.partner == kinn
    login(client, world, "bergen")
    assert client.post(f"/tiltak/{action.pk}/milepaeler/{milestone.pk}/fullfort/").status_code == 403
    login(client, world, "kinn")
    assert "Marker som fullført" in client.get(f"/tiltak/{action.pk}/").content.decode()
    client.post(f"/tiltak/{action.pk}/milepaeler/{milestone.pk}/fullfort/")
    milestone.refresh_from_db()
    assert milestone.done_on is not None


def test_each_party_follows_up_its_own_commitment_on_the_agreements_page(client, world):
    from dugnad.actions.agreements import CommitmentSpec, agreement_create

    agreement = agreement_create(user=world.users["vestland"], title="Partnerskap",
                                 parties=[world.units["46"], world.units["4601"]],
                                 commitments=[CommitmentSpec(0, "Lede nettverket"), CommitmentSpec(1, "Dele data")])
    own, other = agreement.commitments.get(party__unit__code="4601"), agreement.commitments.get(party__unit__code="46")
    login(client, world, "bergen")
    html = client.get("/avtaler/").content.decode()
    assert f"/avtaler/forpliktelser/{own.pk}/status/" in html and f"/avtaler/forpliktelser/{other.pk}/status/" not in html
    client.post(f"/avtaler/forpliktelser/{own.pk}/status/", {"status": "on_track"})
    assert client.post(f"/avtaler/forpliktelser/{other.pk}/status/", {"status": "fulfilled"}).status_code == 403
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("on_track", "not_started")
