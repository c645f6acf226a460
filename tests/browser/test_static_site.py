"""The exported static site in a real browser from file://: a unit page and an indicator page with maps and charts."""

from __future__ import annotations

import pytest
from tests.factories import GoalFactory
from tests.web.test_portal_pages import scored  # noqa: F401 (the fixture)

from dugnad.portal.snapshot import forget_snapshot
from dugnad.site.build import site_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def exported(scored, tmp_path):  # noqa: F811
    """The small scored portal world with all 17 goals, exported in three languages."""
    for number in range(1, 18):
        GoalFactory(number=number)
    forget_snapshot()
    result = site_build(tmp_path)
    assert result.failed == []
    return tmp_path


def test_the_site_opens_from_file_and_draws_maps_and_charts(exported, browser):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((exported / "index.html").as_uri())
    page.wait_for_url("**/nb/index.html")
    page.click("header nav >> text=Enheter")
    page.wait_for_url("**/nb/enheter/index.html")
    page.click("main >> text=Bergen")
    page.wait_for_url("**/nb/enheter/4601/index.html")
    page.wait_for_selector("#locator-map .chart-interactive svg", timeout=30_000)
    page.wait_for_selector(".dg-chart .chart-interactive svg", timeout=30_000)
    assert page.locator("#locator-map path[aria-roledescription='geoshape']").count() >= 2

    page.locator("main a[href*='indikatorer/test/T-A/']").first.click()
    page.wait_for_url("**/nb/indikatorer/test/T-A/index.html")
    page.wait_for_selector("#municipality-map .chart-interactive svg", timeout=30_000)
    assert page.locator("#municipality-map path[aria-roledescription='geoshape']").count() >= 2

    page.click("text=English")
    page.wait_for_url("**/en/indikatorer/test/T-A/index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_selector("#county-map .chart-interactive svg", timeout=30_000)
    assert errors == []
    context.close()
