"""The effect follow-up on an action's page in a real browser: the chart of yearly means is drawn, the tables and
caveats are there, and axe-core finds no serious or critical problem at 1366 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.browser.test_actions_flow import look
from tests.factories import JOINT_WORK, ObservationFactory, world_build

from dugnad.actions.services import PartnerSpec, action_create

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_action_page_shows_partners_beside_similar_units(live_server, browser, axe_audit):
    w = world_build(JOINT_WORK)
    series = {"4601": (10, 11, 14, 15), "4602": (20, 20, 23, 24), "4624": (5, 5, 6, 6), "4640": (8, 9, 9, 9),
              "0301": (1, 2, 2, 3)}
    for code, values in series.items():
        for year, value in zip((2018, 2019, 2021, 2022), values, strict=True):
            ObservationFactory(unit=w.units[code], indicator=w.indicators[0], period=str(year), value=value)
    action = action_create(user=w.users["bergen"], title="Felles løft", lead_unit=w.units["4601"],
                           start=dt.date(2020, 1, 1), indicators=[(w.indicators[0], "up")],
                           partners=[PartnerSpec(unit=w.units["4602"])])
    page = browser.new_context(locale="nb-NO").new_page()
    page.goto(f"{live_server.url}/tiltak/{action.pk}/")
    page.wait_for_selector("#effect-1-chart .chart-interactive, #effect-1-chart.chart-interactive, .chart-interactive")
    assert "For få enheter til å si noe" in page.inner_text("#effects")
    page.click("#effects summary:has-text('Vis hver enhet')")
    assert "Bjørnafjorden (4624)" in page.inner_text("#effects")
    look(page, axe_audit, "action-effects")
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
