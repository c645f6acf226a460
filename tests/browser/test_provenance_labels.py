"""A portal unit page with one demo value and one value from a real source, in the browser at 1366 and 390 px:
the demo value carries «Demodata – ikke ekte tall», the real one its source, the banner says the page is mixed,
axe-core finds nothing serious and nothing scrolls sideways. ``DUGNAD_SCREENSHOTS=folder`` saves the PNGs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.factories import world_build

from dugnad.observations.models import ImportRun, Observation
from dugnad.portal.snapshot import forget_snapshot
from dugnad.scores.models import GoalScore, IndexScore, IndicatorScore, ScoreRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _mixed_world():
    w = world_build()
    run = ScoreRun.objects.create(method="sdsn", method_version="1", year=2025, data_revision="x", fingerprint="y",
                                  status="done")
    demo = ImportRun.objects.create(kind="demo", source="Dugnad", is_demo=True, status="ok")
    real = ImportRun.objects.create(kind="telemark", source="loader", status="ok", provenance={
        "name": "Statistisk sentralbyrå (SSB), tabell 06913", "url": "https://www.ssb.no/statbank/table/06913",
        "licence": "CC BY 4.0"})
    for ind, goal, import_run in ((w.indicators[0], 3, demo), (w.indicators[1], 4, real)):
        for code in ("0", "46", "4601", "4602"):
            IndicatorScore.objects.create(run=run, unit=w.units[code], indicator=ind, goal=goal, year=2025, value=12.5,
                                          score=60.0, colour="yellow", trend="moderately_improving")
            for period, value in (("2023", 11.0), ("2024", 12.0), ("2025", 12.5)):
                Observation.objects.create(unit=w.units[code], indicator=ind, period=period, value=value,
                                           status="ok", import_run=import_run)
        GoalScore.objects.create(run=run, unit=w.units["4601"], goal=goal, score=60.0, colour="yellow", trend="")
    IndexScore.objects.create(run=run, unit=w.units["4601"], score=60.0, rank=1)
    forget_snapshot()


def test_a_unit_page_with_demo_and_real_values_labels_each(browser, live_server, axe_audit):
    _mixed_world()
    page = browser.new_page(locale="nb-NO")
    page.goto(live_server.url + "/enheter/4601/")
    assert "Noen tall er demodata" in page.locator(".dg-demo-banner").inner_text()
    headings = {h.inner_text() for h in page.locator("main .dg-indicator-line h4").all()}
    assert any("Demodata – ikke ekte tall" in h for h in headings)
    assert any("Kilde: Statistisk sentralbyrå (SSB), tabell 06913" in h and "Demodata" not in h for h in headings)
    folder = os.environ.get("DUGNAD_SCREENSHOTS", "")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        scroll_width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner, f"the unit page scrolls sideways at {width} px"
        axe_audit.check(page)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"unit-provenance-{width}.png"), full_page=True)
    assert axe_audit.problems == []
