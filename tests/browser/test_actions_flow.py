"""Joint actions, agreements and the dashboard in a real browser, with axe-core on every page visited.

A county coordinator proposes a joint action through the form (searchable partner picker, budget shares that
add up as you type, targets under their goal) and creates an agreement with parties, commitments and dates;
a partner updates its own part and sees the total change without a reload; the partner's dashboard shows the
colour legend and a chart. Screenshots at 1366 and 390 px go to ``DUGNAD_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.factories import JOINT_WORK, world_build
from tests.networks.test_networks import score_run

from dugnad.actions.models import Action, Agreement
from dugnad.observations.models import Observation
from dugnad.scores.models import GoalScore

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WIDTHS = (1366, 390)
FIGURES_DRAWN = """() => document.querySelectorAll("figure > script[type='application/json']").length
                      === document.querySelectorAll('.chart-interactive').length"""


def look(page, audit, name: str) -> None:
    """Audit the page at both widths: axe-core clean and no sideways scroll; a screenshot when asked for."""
    folder = os.environ.get("DUGNAD_SCREENSHOTS", "")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(FIGURES_DRAWN, timeout=30_000)
        scroll_width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner, f"{name} scrolls sideways at {width} px ({scroll_width} px wide)"
        audit.check(page)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_actions_agreements_and_the_dashboard_in_the_browser(live_server, sign_in, axe_audit):
    w = world_build(JOINT_WORK)
    run = score_run(w, {("4601", 0): "red", ("4602", 0): "orange", ("4624", 0): "green"})
    GoalScore.objects.create(run=run, unit=w.units["4601"], goal=3, score=70.4, colour="red", trend="decreasing")
    GoalScore.objects.create(run=run, unit=w.units["4601"], goal=4, score=69.9, colour="yellow", trend="on_track")
    for year, value in ((2021, 12.0), (2022, 11.0), (2023, 10.0)):
        Observation.objects.create(unit=w.units["4601"], indicator=w.indicators[0], period=str(year), value=value)

    # the county coordinator proposes a joint action through the form
    vestland = sign_in("vestland")
    vestland.goto(f"{live_server.url}/tiltak/")
    vestland.click("text=Nytt tiltak")
    vestland.wait_for_url(re.compile(r".*/tiltak/nytt/$"))
    look(vestland, axe_audit, "action-new")
    vestland.fill("#id_title", "Felles sykkelvei")
    vestland.fill("#id_lead_budget_share", "50")
    vestland.fill("#id_parter-0-party", "Bergen – kommune (4601)")
    vestland.fill("#id_parter-0-budget_share", "30")
    vestland.fill("#id_parter-1-party", "Kinn – kommune (4602)")
    vestland.fill("#id_parter-1-budget_share", "20")
    assert vestland.inner_text("#share-total") == "100 %"  # the total follows the typing
    vestland.click("summary:has-text('11.')")
    vestland.get_by_label(re.compile(r"^11\.6")).check()
    vestland.fill("#id_target_codes", "3.4")
    vestland.click("button:has-text('Opprett tiltaket')")
    vestland.wait_for_url(re.compile(r".*/tiltak/\d+/$"))
    look(vestland, axe_audit, "action-detail")
    action = Action.objects.get(title="Felles sykkelvei")
    assert {p.unit.code: float(p.budget_share) for p in action.partners.select_related("unit")} == {
        "46": 50.0, "4601": 30.0, "4602": 20.0}
    assert sorted(t.code for t in action.targets.all()) == ["11.6", "3.4"]

    # ... and creates an agreement with parties, commitments and dates in the web
    vestland.goto(f"{live_server.url}/avtaler/")
    vestland.click("text=Ny avtale")
    vestland.wait_for_url(re.compile(r".*/avtaler/ny/$"))
    look(vestland, axe_audit, "agreement-new")
    assert vestland.input_value("#id_parter-0-party") == "Vestland – fylke (46)"
    vestland.fill("#id_title", "Klimapartnerskap Vestland")
    vestland.fill("#id_signed_on", "2026-01-15")
    vestland.fill("#id_parter-1-party", "Bergen – kommune (4601)")
    vestland.fill("#id_forpliktelser-0-party", "Vestland – fylke (46)")
    vestland.fill("#id_forpliktelser-0-text", "Lede klimanettverket")
    vestland.fill("#id_forpliktelser-0-due", "2026-06-30")
    vestland.fill("#id_forpliktelser-1-party", "Bergen – kommune (4601)")
    vestland.fill("#id_forpliktelser-1-text", "Dele klimaregnskapet")
    vestland.fill("#id_forpliktelser-1-due", "2020-12-31")
    vestland.click("button:has-text('Opprett avtalen')")
    vestland.wait_for_url(re.compile(r".*/avtaler/\d+/$"))
    look(vestland, axe_audit, "agreement-detail")
    agreement = Agreement.objects.get(title="Klimapartnerskap Vestland")
    assert sorted(p.unit.code for p in agreement.parties.all()) == ["46", "4601"]
    assert agreement.commitments.count() == 2 and "Forsinket" in vestland.inner_text("main")

    # a partner updates its own part; the action's total changes without a reload
    bergen = sign_in("bergen")
    bergen.goto(f"{live_server.url}/tiltak/{action.pk}/")
    own = action.partners.get(unit__code="4601")
    assert bergen.inner_text("#action-progress") == "0 %"
    bergen.fill(f"#id_p{own.pk}-progress", "100")
    bergen.fill(f"#id_p{own.pk}-note", "Traseen er regulert")
    bergen.click(f"#part-{own.pk} button:has-text('Lagre')")
    bergen.wait_for_selector(f"#msg-{own.pk}.cell-saved")
    bergen.wait_for_function("() => document.getElementById('action-progress').textContent.trim() === '30 %'")
    look(bergen, axe_audit, "action-partner")

    # the partner's dashboard explains the colours and draws the charts
    bergen.goto(f"{live_server.url}/enheter/4601/dashbord/")
    bergen.wait_for_selector("#goal-chart .chart-interactive, #goal-chart.chart-interactive, .chart-interactive")
    assert "to svakeste indikatorer" in bergen.inner_text("#colour-legend")
    assert bergen.locator("#trend-chart").count() == 1
    look(bergen, axe_audit, "dashboard")
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
