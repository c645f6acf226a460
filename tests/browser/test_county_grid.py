"""A county editor signs in through the login form and enters the county's own indicator value in the grid."""

from __future__ import annotations

import re

import pytest
from tests.factories import PASSWORD, IndicatorFactory, IndicatorSpecFactory, round_national, world_build

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.observations.models import Observation
from dugnad.rounds.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_county_editor_enters_a_county_indicator_that_municipal_grids_do_not_show(live_server, browser, axe_audit):
    w = world_build()
    roads = IndicatorFactory(code="FYLKESVEI", name_nb="Fylkesveier med dårlig dekke")
    IndicatorSpecFactory(indicator=roads, applies_to="county", unit_of_measure="prosent", direction="lower",
                         upper_bound=5, lower_bound=50, green=15, red=30)
    Membership.objects.create(user=w.users["nobody"], unit=w.units["46"], role=Role.COUNTY_EDITOR)
    round_ = round_national(w, indicators=[*w.indicators, roads])
    county = Submission.objects.get(round=round_, unit__code="46")
    bergen = Submission.objects.get(round=round_, unit__code="4601")

    page = browser.new_context(locale="nb-NO").new_page()
    page.goto(f"{live_server.url}/logg-inn/")
    axe_audit.check(page)
    page.fill("#id_username", "nobody")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"{live_server.url}/innleveringer/{county.pk}/")
    axe_audit.check(page)
    assert "Fylkesveier med dårlig dekke" in page.inner_text("main")
    cell = f"{roads.pk}-2025"
    page.fill(f"#v-{cell}", "22,5")
    page.press(f"#v-{cell}", "Tab")
    page.wait_for_selector(f"#m-{cell}.cell-saved")
    axe_audit.check(page)
    saved = Observation.objects.current().get(unit__code="46", indicator=roads, period="2025")
    assert saved.value == 22.5

    editor = browser.new_context(locale="nb-NO").new_page()
    editor.goto(f"{live_server.url}/logg-inn/")
    editor.fill("#id_username", "bergen")
    editor.fill("#id_password", PASSWORD)
    editor.click("main button[type=submit]")
    editor.wait_for_url(re.compile(r".*/$"))
    editor.goto(f"{live_server.url}/innleveringer/{bergen.pk}/")
    axe_audit.check(editor)
    assert "Fylkesveier" not in editor.inner_text("main")
    assert editor.query_selector(f"#v-{roads.pk}-2025") is None
    assert axe_audit.problems == []
