"""Maps in a real browser: drawn under a strict Content-Security-Policy, reachable by keyboard, printable."""

from __future__ import annotations

import pytest
from tests.web.test_maps_pages import demo_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What the operations work turns on: no inline script, no eval, nothing from other hosts.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"


@pytest.fixture
def front_page(live_server, browser):
    """The units page with the demo map, served with the strict policy; CSP reports are collected."""
    from tests.factories import LevelFactory, UnitFactory

    norway = UnitFactory(code="0", name="Norge", level=LevelFactory(code="country"))
    county = UnitFactory(code="46", name="Vestland", level=LevelFactory(code="county"), parent=norway)
    for code, name in (("4601", "Bergen"), ("4602", "Kinn")):
        UnitFactory(code=code, name=name, parent=county)
    demo_values({"4601": 79.5, "4602": 91.25})
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route(f"{live_server.url}/enheter/", with_policy)
    page.goto(f"{live_server.url}/enheter/")
    page.wait_for_selector("#demo-map .chart-interactive svg", timeout=30_000)
    yield page, blocked
    context.close()


def test_the_map_is_drawn_under_a_policy_without_inline_script_or_eval(front_page):
    page, blocked = front_page
    shapes = page.locator("#demo-map .dg-figure__canvas path[aria-roledescription='geoshape']")
    assert shapes.count() == 357
    canvas = page.locator("#demo-map .dg-figure__canvas")
    assert canvas.get_attribute("role") == "img"
    assert canvas.get_attribute("aria-label").startswith("Kart over Norges kommuner farget etter")
    assert blocked == [], "nothing the policy forbids (script, eval, inline style) was attempted"


def test_hovering_a_municipality_shows_its_name_and_value(front_page):
    page, _blocked = front_page
    page.locator("#demo-map .dg-figure__canvas").scroll_into_view_if_needed()
    box = page.locator("#demo-map path[aria-roledescription='geoshape']").nth(200).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#vg-tooltip-element.visible")
    tooltip = page.inner_text("#vg-tooltip-element")
    assert "Kommune" in tooltip and "Verdi (prosent)" in tooltip


def test_the_keyboard_reaches_the_map_and_opens_its_table(front_page):
    page, _blocked = front_page
    page.locator(".dg-brand").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#demo-map .dg-figure__canvas')"):
            break
    else:
        pytest.fail("Tab never reached the map")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#demo-map summary')")
    page.keyboard.press("Enter")
    assert page.locator("#demo-map table").is_visible()
    assert "Kinn" in page.inner_text("#demo-map table") and "91,3" in page.inner_text("#demo-map table")


def test_printing_keeps_the_content_and_the_map_table_but_not_the_navigation(front_page):
    page, _blocked = front_page
    page.emulate_media(media="print")
    assert page.locator(".dg-nav").is_hidden() and page.locator(".dg-language").is_hidden()
    assert page.locator("#demo-map table").is_visible(), "the closed table alternative is printed"
    assert page.locator("#demo-map .dg-figure__canvas svg").is_visible()
