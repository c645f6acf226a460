"""Under the Content-Security-Policy, htmx saves a cell and an HTML publication's Vega charts turn interactive,
with no violation reported by the browser."""

from __future__ import annotations

import pytest
from tests.publications.conftest import published_world

from dugnad.publications.services import publication_generate, publication_request
from dugnad.rounds.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_htmx_and_the_vega_runtime_work_under_the_policy(sign_in, live_server, axe_audit):
    from playwright.sync_api import expect

    published = published_world(deliver=False)
    w = published.world
    pub = publication_generate(publication=publication_request(user=w.users["bergen"], kind="vlr", round_=published.round,
                                                               unit=w.units["4601"], fmt="html"))
    assert pub.state == "done"
    submission = Submission.objects.get(round=published.round, unit__code="4601")

    page = sign_in("bergen")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(f"{live_server.url}/innleveringer/{submission.pk}/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    cell = f"{w.indicators[0].pk}-2025"
    page.fill(f"#v-{cell}", "12,5")
    page.press(f"#v-{cell}", "Tab")
    page.wait_for_selector(f"#m-{cell}.cell-saved")  # htmx posted the cell and swapped in the answer

    page.goto(f"{live_server.url}/rapporter/{pub.pk}/last-ned/")
    figures = page.locator("figure").count()
    assert figures > 0
    # Playwright's locator waits run outside the page's policy (wait_for_function would need eval)
    expect(page.locator(".chart-interactive")).to_have_count(figures, timeout=30_000)
    axe_audit.check(page)
    assert violations == []
    assert axe_audit.problems == []
