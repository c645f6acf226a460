"""The network flow in a real browser, with axe-core on every page visited.

A county coordinator creates a network, opens its shared-gap view and proposes a joint action with
three municipalities; each partner updates its own progress; the action appears on each partner's unit page.
"""

from __future__ import annotations

import re

import pytest
from tests.factories import JOINT_WORK, world_build
from tests.networks.test_networks import score_run

from dugnad.actions.models import Action
from dugnad.networks.models import Network

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PARTNERS = (("bergen", "4601", "Bergen", 30), ("kinn", "4602", "Kinn", 60), ("bjornafjorden", "4624", "Bjørnafjorden", 90))


def visit(page, audit, url):
    page.goto(url)
    audit.check(page)


def test_a_county_network_proposes_a_joint_action_that_each_partner_updates(live_server, sign_in, axe_audit):
    w = world_build(JOINT_WORK)
    score_run(w, {("4601", 0): "red", ("4602", 0): "orange", ("4624", 0): "red", ("4640", 0): "green"})

    # the county coordinator creates a network of three municipalities
    vestland = sign_in("vestland")
    visit(vestland, axe_audit, f"{live_server.url}/nettverk/")
    vestland.click("text=Opprett nettverk")
    vestland.wait_for_url(re.compile(r".*/nettverk/nytt/$"))
    axe_audit.check(vestland)
    vestland.fill("#id_name", "Bærekraftsnettverket i Vestland")
    vestland.select_option("#id_kind", "county")
    vestland.select_option("#id_lead", str(w.units["46"].pk))
    for _user, code, name, _progress in PARTNERS:
        vestland.get_by_label(f"{name} ({code})").check()
    vestland.click("button:has-text('Opprett nettverket')")
    vestland.wait_for_url(re.compile(r".*/nettverk/\d+/$"))
    axe_audit.check(vestland)
    network = Network.objects.get(name="Bærekraftsnettverket i Vestland")
    assert sorted(m.unit.code for m in network.members.all()) == ["4601", "4602", "4624"]

    # the shared-gap view shows the indicator where all three are red or orange
    vestland.click("text=Felles utfordringer")
    vestland.wait_for_selector("#shared-gaps")
    axe_audit.check(vestland)
    assert "T-A" in vestland.inner_text("#shared-gaps")

    # propose a joint action with the three municipalities from the gap row
    vestland.click("#shared-gaps a:has-text('Foreslå felles tiltak')")
    vestland.wait_for_url(re.compile(r".*/tiltak/nytt/\?indikator=\d+$"))
    axe_audit.check(vestland)
    vestland.fill("#id_title", "Felles frisklivstilbud")
    for _user, code, name, _progress in PARTNERS:
        vestland.get_by_label(f"{name} ({code})").check()
    vestland.click("button:has-text('Opprett felles tiltak')")
    vestland.wait_for_url(re.compile(r".*/tiltak/\d+/$"))
    axe_audit.check(vestland)
    action = Action.objects.get(title="Felles frisklivstilbud")
    assert list(network.actions.all()) == [action]
    assert action.indicator_links.get().indicator == w.indicators[0]

    # each partner updates its own part, and has no form for the others' parts
    for username, code, name, progress in PARTNERS:
        page = sign_in(username)
        visit(page, axe_audit, f"{live_server.url}/tiltak/{action.pk}/")
        own = action.partners.get(unit__code=code)
        others = action.partners.exclude(pk=own.pk)
        assert all(page.locator(f"#id_p{p.pk}-progress").count() == 0 for p in others)
        page.fill(f"#id_p{own.pk}-progress", str(progress))
        page.fill(f"#id_p{own.pk}-note", f"{name} er i rute")
        page.click(f"#part-{own.pk} button:has-text('Lagre')")
        page.wait_for_selector(f"#msg-{own.pk}.cell-saved")
        axe_audit.check(page)

        # the action appears on the partner's unit page, with its own progress
        visit(page, axe_audit, f"{live_server.url}/enheter/{code}/")
        row = page.locator("#unit-actions tr", has_text="Felles frisklivstilbud")
        assert row.count() == 1 and f"{progress} %" in row.inner_text()

    action.refresh_from_db()
    assert {p.unit.code: p.progress for p in action.partners.all()} == {"46": 0, "4601": 30, "4602": 60, "4624": 90}
    assert action.progress == 45
    visit(vestland, axe_audit, f"{live_server.url}/tiltak/{action.pk}/")
    assert "Bjørnafjorden er i rute" in vestland.inner_text("main")
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
    assert len(axe_audit.visited) >= 12
