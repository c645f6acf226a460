"""The Vega-Lite specs embedded in an HTML publication become interactive charts in the browser."""

from __future__ import annotations

import pytest
from tests.publications.conftest import published_world

from dugnad.publications.builders.vlr import vlr_build
from dugnad.publications.renderers import render

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_html_vlr_charts_turn_interactive_and_keep_their_alt_text(browser, live_server, axe_audit):
    published = published_world()
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb")
    html = render(document, "html").content.decode()
    static_charts = html.count("<figure")
    alt_texts = [chart.alt for section in document.sections for chart in section.blocks if hasattr(chart, "alt")]
    assert static_charts > 0

    page = browser.new_page()
    page.goto(f"{live_server.url}/static/web/charts.js")  # same origin as the site, so /static/ resolves
    page.set_content(html, wait_until="load")
    page.wait_for_function(
        f"document.querySelectorAll('.chart-interactive').length === {static_charts}", timeout=20_000
    )
    interactive = page.locator(".chart-interactive")
    assert interactive.count() == static_charts
    first = interactive.first
    assert first.get_attribute("role") == "img"
    assert first.get_attribute("aria-label") == alt_texts[0]
    assert first.locator("svg").count() >= 1
    axe_audit.check(page)
    assert axe_audit.problems == []
