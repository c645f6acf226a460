"""An /embed/ page framed by a page of another site (another loopback port) draws its chart; a normal page is refused.
axe-core on the embed pages; the unit page with its download and «Bygg inn» controls at 1366 and 390 px."""

from __future__ import annotations

import os
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from tests.web.test_portal_pages import scored  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_site(tmp_path):
    """A static web server on another port of 127.0.0.1: another origin than the live server."""
    server = HTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_another_site_may_frame_an_embed_page_but_no_other_page(browser, live_server, scored, other_site):  # noqa: F811
    from playwright.sync_api import expect

    folder, origin = other_site
    base = live_server.url.replace("localhost", "127.0.0.1")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="nb"><title>Kommuneavisa</title><body>'
        f'<iframe id="embed" src="{base}/embed/graf/4601/test/T-A/" title="Graf" width="800" height="500"></iframe>'
        f'<iframe id="page" src="{base}/enheter/4601/" title="Side" width="800" height="500"></iframe></body></html>',
        encoding="utf-8")
    page = browser.new_context(locale="nb-NO").new_page()
    refusals = []
    page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(f"{origin}/index.html")
    embed = page.frame_locator("#embed")
    expect(embed.locator(".chart-interactive")).to_have_count(1, timeout=30_000)  # the chart is drawn in the frame
    expect(embed.locator("figcaption")).to_contain_text("Andel røykere")
    expect(embed.locator("a[target=_top]")).to_have_attribute("href", f"{base}/enheter/4601/")
    expect(page.frame_locator("#page").locator(".dg-brand")).to_have_count(0)
    assert any("'none'" in text for text in refusals), refusals  # the browser refused the unit page
    page.goto(f"{base}/enheter/4601/")  # the same page opened on its own shows
    expect(page.locator(".dg-brand")).to_have_count(1)


def test_embed_pages_are_accessible_and_the_unit_page_shows_its_controls(browser, live_server, scored, axe_audit):  # noqa: F811
    from playwright.sync_api import expect

    shots = os.environ.get("DUGNAD_SCREENSHOTS")
    for lang in ("nb", "nn", "en"):
        context = browser.new_context(locale={"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[lang])
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page = context.new_page()
        for path in ("/embed/graf/4601/test/T-A/", "/embed/kart/test/T-A/kommuner/", "/embed/kart/enhet/4601/"):
            for width in (1366, 390):
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(live_server.url + path)
                expect(page.locator(".chart-interactive")).to_have_count(1, timeout=30_000)
                axe_audit.check(page)
        page.goto(f"{live_server.url}/enheter/4601/")
        expect(page.locator(".dg-downloads a[download]")).to_have_count(3)
        page.locator(".dg-figure__embed summary").first.click()
        expect(page.locator(".dg-figure__embed textarea").first).to_be_visible()
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll[0] <= scroll[1], (lang, width, scroll)
            axe_audit.check(page)
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/unit-{lang}-{width}.png", full_page=True)
        context.close()
    assert axe_audit.problems == []
