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


def rows(prefix, items, *, fields=("party", "role", "budget_share"), initial=0):
    """Formset data: management form and one dict per row."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "100"}
    for i, item in enumerate(items):
        data.update({f"{prefix}-{i}-{k}": v for k, v in item.items() if k in fields or k == "pk"})
    return data


def action_post(w, **extra):
    data = {"title": "Sykkelparkering", "lead": w.units["4601"].pk, "status": "planned", "visibility": "public",
            "description": "", **rows("parter", extra.pop("partners", []))}
    data.update(extra)
    return data


def test_an_editor_creates_an_action_with_partners_and_budget_shares_through_the_form(client, world):
    login(client, world, "bergen")
    page = client.get("/tiltak/nytt/").content.decode()
    assert "Kinn – kommune (4602)" in page and 'list="party-options"' in page
    response = client.post("/tiltak/nytt/", action_post(
        world, lead_budget_share="60", targets=["11.6"], target_codes="4.2, 11.6",
        partners=[{"party": "Kinn – kommune (4602)", "role": "partner", "budget_share": "25"},
                  {"party": "46", "role": "funder", "budget_share": "15"}, {"party": ""}]))
    action = Action.objects.get(title="Sykkelparkering")
    assert response.status_code == 302 and response["Location"] == f"/tiltak/{action.pk}/"
    parts = {(p.unit.code, p.role, float(p.budget_share)) for p in action.partners.select_related("unit")}
    assert parts == {("4601", "lead", 60.0), ("4602", "partner", 25.0), ("46", "funder", 15.0)}
    assert sorted(t.code for t in action.targets.all()) == ["11.6", "4.2"]


def test_unknown_targets_are_named_with_a_hint_and_nothing_is_created(client, world):
    login(client, world, "bergen")
    response = client.post("/tiltak/nytt/", action_post(world, target_codes="11.6, 99.9"))
    html = response.content.decode()
    assert response.status_code == 200 and "99.9" in html and "13.2, 11.6" in html
    assert not Action.objects.exists()


def test_an_unknown_partner_and_shares_over_100_are_shown_on_their_rows(client, world):
    login(client, world, "bergen")
    html = client.post("/tiltak/nytt/", action_post(world, partners=[{"party": "Atlantis", "role": "partner"}])).content.decode()
    assert "Fant ingen enhet eller organisasjon «Atlantis»" in html and 'aria-invalid="true"' in html
    html = client.post("/tiltak/nytt/", action_post(world, lead_budget_share="70", partners=[
        {"party": "Kinn – kommune (4602)", "role": "partner", "budget_share": "40"}])).content.decode()
    assert "mer enn 100 %" in html
    assert not Action.objects.exists()


def test_the_picker_offers_oslo_once_and_shows_the_level(world):
    from dugnad.web.views.party_picker import party_options, party_resolve

    labels = [o.label for o in party_options()]
    assert [label for label in labels if label.startswith("Oslo")] == ["Oslo – kommune og fylke (0301)"]
    assert party_resolve("Oslo – kommune og fylke (0301)", party_options()).code == "0301"
    assert "Vestland – fylke (46)" in labels and "Bergen – kommune (4601)" in labels


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
