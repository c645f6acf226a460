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
    login(client, world, "vestland")  # the signed-in table with roles; the public profile lists public actions only
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


def test_a_county_coordinator_creates_and_edits_an_agreement_in_the_web(client, world):
    from dugnad.actions.models import Agreement

    login(client, world, "vestland")
    assert "Vestland – fylke (46)" in client.get("/avtaler/ny/").content.decode()
    data = {"title": "Klimapartnerskap Vestland", "description": "", "signed_on": "2026-01-15", "valid_to": "2027-12-31",
            "status": "on_track",
            **rows("parter", [{"party": "Vestland – fylke (46)"}, {"party": "Bergen – kommune (4601)"}, {"party": ""}]),
            **rows("forpliktelser", [{"party": "46", "text": "Lede nettverket", "due": "2020-03-01", "status": "not_started"},
                                     {"party": "Kinn – kommune (4602)", "text": "Dele data", "due": "", "status": "not_started"},
                                     {"party": "", "text": "", "due": "", "status": "not_started"}],
                   fields=("party", "text", "due", "status"))}
    response = client.post("/avtaler/ny/", data)
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/avtaler/{agreement.pk}/"
    assert agreement.status == "on_track"
    # Kinn, named only in a commitment, became a party
    assert sorted(p.unit.code for p in agreement.parties.all()) == ["46", "4601", "4602"]
    html = client.get(f"/avtaler/{agreement.pk}/").content.decode()
    assert "Forsinket" in html and "Endre avtalen" in html  # the commitment due in 2020 is flagged

    lead = agreement.commitments.get(text="Lede nettverket")
    edit = client.get(f"/avtaler/{agreement.pk}/endre/").content.decode()
    assert "Lede nettverket" in edit
    data.update({"title": "Klimapartnerskap Vestland 2026–2027",
                 **rows("parter", [{"party": "Vestland – fylke (46)"}, {"party": "Kinn – kommune (4602)"}]),
                 **rows("forpliktelser", [{"pk": str(lead.pk), "party": "46", "text": "Lede nettverket", "due": "2026-09-01",
                                           "status": "fulfilled"}], fields=("party", "text", "due", "status"),
                        initial=1)})
    assert client.post(f"/avtaler/{agreement.pk}/endre/", data).status_code == 302
    agreement.refresh_from_db()
    lead.refresh_from_db()
    assert agreement.title == "Klimapartnerskap Vestland 2026–2027"
    assert sorted(p.unit.code for p in agreement.parties.all()) == ["46", "4602"]
    assert (lead.status, str(lead.due), agreement.commitments.count()) == ("fulfilled", "2026-09-01", 1)


def test_an_agreement_needs_a_represented_party_and_strangers_cannot_edit(client, world):
    from dugnad.actions.agreements import agreement_create
    from dugnad.actions.models import Agreement

    login(client, world, "bergen")
    data = {"title": "Uten meg", "status": "not_started", **rows("parter", [{"party": "4602"}, {"party": "4624"}]),
            **rows("forpliktelser", [])}
    html = client.post("/avtaler/ny/", data).content.decode()
    assert "representere en av partene" in html and not Agreement.objects.exists()
    agreement = agreement_create(user=world.users["vestland"], title="A", parties=[world.units["46"], world.units["4602"]])
    assert client.get(f"/avtaler/{agreement.pk}/endre/").status_code == 403
    login(client, world, "bergen-leser")
    assert client.get("/avtaler/ny/").status_code == 403


def test_the_action_list_filters_by_goal_status_level_and_partner(client, world):
    a = action_create(user=world.users["vestland"], title="Fylkestiltak", lead_unit=world.units["46"], status="ongoing",
                      targets=[world.targets["11.6"]], partners=[PartnerSpec(unit=world.units["4602"])])
    b = action_create(user=world.users["bergen"], title="Bergenstiltak", lead_unit=world.units["4601"],
                      targets=[world.targets["3.4"]])

    def titles(query):
        html = client.get(f"/tiltak/?{query}").content.decode()
        return [t for t in (a.title, b.title) if t in html]

    assert titles("") == ["Fylkestiltak", "Bergenstiltak"]
    assert titles("mal=11") == ["Fylkestiltak"]
    assert titles("status=planned") == ["Bergenstiltak"]
    assert titles("niva=municipality") == ["Bergenstiltak"]
    assert titles("partner=Kinn+%E2%80%93+kommune+%284602%29") == ["Fylkestiltak"]
    html = client.get("/tiltak/?partner=Atlantis").content.decode()
    assert "Fant ingen enhet" in html


def test_saving_a_part_updates_the_total_without_a_reload_and_overdue_milestones_are_flagged(client, world):
    import datetime as dt

    from dugnad.actions.services import milestone_add

    action = joint(world)
    milestone_add(user=world.users["vestland"], action=action, title="Oppstart", due=dt.date(2020, 1, 1))
    bergen = action.partners.get(unit__code="4601")
    login(client, world, "bergen")
    html = client.post(f"/tiltak/{action.pk}/del/{bergen.pk}/", {f"p{bergen.pk}-progress": "90"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert 'id="action-progress" hx-swap-oob="true">30 %' in html  # (0 + 90 + 0) / 3
    assert "forsinket: fristen er passert" in client.get(f"/tiltak/{action.pk}/").content.decode()
    assert "Milepæl forsinket" in client.get("/tiltak/").content.decode()


def test_the_lead_adds_an_organisation_partner_with_a_budget_share_in_the_web(client, world):
    from dugnad.actions.models import Organisation

    ks = Organisation.objects.create(name="KS", kind="ks")
    action = joint(world)
    login(client, world, "vestland")
    assert "KS – ks (org" in client.get(f"/tiltak/{action.pk}/").content.decode()
    client.post(f"/tiltak/{action.pk}/partnere/", rows("nye", [{"party": f"KS – ks (org {ks.pk})", "role": "funder",
                                                                  "budget_share": "20"}]))
    part = action.partners.get(organisation=ks)
    assert (part.role, float(part.budget_share)) == ("funder", 20.0)
    login(client, world, "bergen")
    assert client.post(f"/tiltak/{action.pk}/partnere/", rows("nye", [{"party": "4624"}])).status_code == 403


def test_the_admin_speaks_norwegian_about_actions_and_agreements(admin_client, world):
    joint(world)
    html = admin_client.get("/admin/actions/action/").content.decode()
    assert "Tittel" in html and "Framdrift (%)" in html and "Velg tiltak" in html
    html = admin_client.get("/admin/").content.decode()
    assert "Samarbeidsavtaler" in html and "Rapporteringsrunder" in html and "Enheter" in html


def test_a_hidden_action_answers_403_in_the_site_layout_with_ways_on(client, world):
    action = action_create(user=world.users["bergen"], title="Internt", lead_unit=world.units["4601"], visibility="partners")
    page = client.get(f"/tiltak/{action.pk}/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "<header" in html and f'/logg-inn/?next=/tiltak/{action.pk}/' in html and 'href="/tiltak/"' in html
    missing = client.get("/tiltak/999999/")
    assert missing.status_code == 404 and 'href="/tiltak/"' in missing.content.decode()
