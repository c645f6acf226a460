"""Browser fixtures: Debian chromium driven by Playwright, and an axe-core check for every page visited."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BLOCKING_IMPACTS = {"serious", "critical"}
#: Whether the page's document has axe-core already (a navigation gives a new document without it).
AXE_PRESENT = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"
#: The audit, as axe_playwright_python runs it: all rules, violations only in the result.
AXE_RUN = "() => axe.run({resultTypes: ['violations']})"
#: The databases whose pass runs axe-core. The audit reads the page the browser shows, which both passes render from
#: the same code and the same data (the demo copy, the same factories): the PostgreSQL pass, which repeats every
#: test that touches the database, skips only the audit itself. It still opens every page, follows every flow, waits
#: for the figures and measures sideways scroll, so a page that fails or differs on PostgreSQL still fails there.
AUDITED_DATABASES = {"sqlite"}


@pytest.fixture(scope="module")
def browser():
    """A headless Debian chromium, one per test module (skipped when chromium or playwright is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class AxeAudit:
    """Runs axe-core on pages and collects serious and critical violations per URL."""

    def __init__(self, enabled: bool = True):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.enabled = enabled
        self.visited: list[str] = []
        self.problems: list[str] = []

    def check(self, page) -> None:
        """Audit the page as it is now (axe-core is injected once per loaded document, then run again as needed).

        The page counts as visited in every pass; axe-core runs in the pass of an ``AUDITED_DATABASES`` database.
        """
        self.visited.append(page.url)
        if not self.enabled:
            return
        if not page.evaluate(AXE_PRESENT):
            page.evaluate(self.axe.axe_script)
        response = page.evaluate(AXE_RUN)
        for violation in response["violations"]:
            if violation.get("impact") in BLOCKING_IMPACTS:
                targets = [n["target"] for n in violation["nodes"]][:3]
                self.problems.append(f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")


@pytest.fixture
def axe_audit():
    """An AxeAudit (auditing in the SQLite pass only: ``AUDITED_DATABASES``); the test asserts
    ``axe_audit.problems == []`` at the end."""
    from django.db import connection

    pytest.importorskip("axe_playwright_python")
    return AxeAudit(enabled=connection.vendor in AUDITED_DATABASES)


@pytest.fixture
def sign_in(browser, live_server):
    """A function that opens a new page (new context, nb-NO) signed in through the login form as the user."""
    import re

    from tests.factories import PASSWORD

    def open_as(username: str):
        page = browser.new_context(locale="nb-NO").new_page()
        page.goto(f"{live_server.url}/logg-inn/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        return page

    return open_as
