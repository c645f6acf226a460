"""What issue 13 still lacked, in a real browser with axe-core on every page visited: the submission's progress and
missing list follow the editor's saves without a reload; the county coordinator writes the county's own text; a
county coordinator links a joint action to an agreement through the agreement page's form (and the action page
shows the agreement)."""

from __future__ import annotations

import re

import pytest
from tests.factories import JOINT_WORK, round_national, submission_of, world_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_progress_follows_the_editor_without_a_reload(live_server, sign_in, axe_audit):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    cells = len(w.indicators) * len(sub.round.periods)
    page = sign_in("bergen")
    page.goto(f"{live_server.url}/innleveringer/{sub.pk}/")
    page.wait_for_selector("#framdrift")
    assert f"0 av {cells} celler fylt ut" in page.inner_text("#framdrift")
    assert f"{cells} tomme celler i tallene" in page.inner_text("#missing-top")
    axe_audit.check(page)
    page.evaluate("() => { window.__notReloaded = true; }")

    ind = w.indicators[0]
    page.fill(f"#v-{ind.pk}-2025", "7")
    page.press(f"#v-{ind.pk}-2025", "Tab")
    page.wait_for_selector(f"#m-{ind.pk}-2025.cell-saved")
    page.wait_for_function(f"() => document.getElementById('framdrift').innerText.includes('1 av {cells} celler fylt ut')")
    assert f"{cells - 1} tomme celler i tallene" in page.inner_text("#missing-top")
    texts_missing = page.locator("#missing-top ul.dg-missing li").count()

    page.type("#t-chapter-opening", "Bergen jobber med målene.")
    page.wait_for_selector("#n-chapter-opening .cell-saved")
    page.wait_for_function(f"() => document.querySelectorAll('#missing-top ul.dg-missing li').length === {texts_missing - 1}")
    assert page.evaluate("() => window.__notReloaded") is True  # the page was never reloaded
    axe_audit.check(page)
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)


def test_the_county_coordinator_writes_the_county_text(live_server, sign_in, axe_audit):
    w = world_build()
    county = submission_of(round_national(w), "46")
    page = sign_in("vestland")
    page.goto(f"{live_server.url}/innleveringer/{county.pk}/")
    page.wait_for_selector("#t-chapter-county_opening")
    axe_audit.check(page)
    page.type("#t-chapter-county_opening", "Vestland samler kommunene om målene.")
    page.wait_for_selector("#n-chapter-county_opening .cell-saved")
    assert county.narratives.get(key="chapter:county_opening").text == "Vestland samler kommunene om målene."
    axe_audit.check(page)
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)


def test_a_county_coordinator_links_an_action_to_an_agreement_in_the_form(live_server, sign_in, axe_audit):
    from dugnad.actions.agreements import agreement_create
    from dugnad.actions.services import PartnerSpec, action_create

    w = world_build(JOINT_WORK)
    agreement = agreement_create(user=w.users["vestland"], title="Vestlandsavtalen",
                                 parties=[w.units["46"], w.units["4601"]])
    action = action_create(user=w.users["vestland"], title="Felles skolevei", lead_unit=w.units["46"],
                           partners=[PartnerSpec(unit=w.units["4601"])])
    editor = sign_in("bergen")  # a party's editor sees the agreement but no linking form
    editor.goto(f"{live_server.url}/avtaler/{agreement.pk}/")
    assert editor.locator("#agreement-action").count() == 0

    page = sign_in("vestland")
    page.goto(f"{live_server.url}/avtaler/{agreement.pk}/")
    page.wait_for_selector("#agreement-action")
    axe_audit.check(page)
    page.select_option("#agreement-action", label="Felles skolevei")
    page.click("button:has-text('Knytt til avtalen')")
    page.wait_for_url(re.compile(rf".*/avtaler/{agreement.pk}/$"))
    page.wait_for_selector("text=«Felles skolevei» er knyttet til avtalen.")
    assert list(agreement.actions.all()) == [action]
    axe_audit.check(page)
    page.click(f"#h-agreement-actions ~ ul a[href='/tiltak/{action.pk}/']")
    page.wait_for_selector(f"a[href='/avtaler/{agreement.pk}/']")
    axe_audit.check(page)
    page.go_back()
    page.click("button:has-text('Fjern fra avtalen')")
    page.wait_for_selector("text=Ingen tiltak er knyttet til avtalen ennå.")
    assert not agreement.actions.exists()
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
