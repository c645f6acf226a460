"""Each role's day in a real browser (issue 13), with axe-core on every page visited.

The editor fills in, sees what is missing and submits; the county coordinator works the review queue and returns a
submission with a comment; KS reads the paged overview of the national demo round, sends reminders after a preview and
closes the round only after typing its title. With ``DUGNAD_SCREENSHOTS=<folder>`` the pages are saved as PNG at
1366 and 390 px.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.browser.accessibility import demo_world
from tests.factories import round_national, submission_of, world_build

from dugnad.demo.accounts import demo_password
from dugnad.rounds.models import AuditEntry, Round

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shot(page, name: str) -> None:
    """Save the page at both widths when screenshots are asked for (no effect otherwise)."""
    folder = os.environ.get("DUGNAD_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size(size)


def check(page, audit, name: str) -> None:
    audit.check(page)
    shot(page, name)


def test_the_editor_fills_in_sees_what_is_missing_and_submits(live_server, sign_in, axe_audit):
    w = world_build()
    round_ = round_national(w)
    sub = submission_of(round_, "4601")
    page = sign_in("bergen")
    assert page.url.endswith("/mitt-arbeid/")
    check(page, axe_audit, "editor-my-work")
    page.click(f"#mine-innleveringer a[href='/innleveringer/{sub.pk}/']")
    page.wait_for_selector("#missing-top")
    assert "tomme celler i tallene" in page.inner_text("#missing-top")
    check(page, axe_audit, "editor-submission")

    ind = w.indicators[0]
    page.fill(f"#v-{ind.pk}-2025", "12,5")
    page.press(f"#v-{ind.pk}-2025", "Tab")
    page.wait_for_selector(f"#m-{ind.pk}-2025.cell-saved")

    # a narrative saves itself while the editor types: no button
    page.type("#t-chapter-opening", "Bergen jobber med målene.")
    page.wait_for_selector("#n-chapter-opening .cell-saved")
    page.wait_for_selector("#n-chapter-opening .preview")
    assert sub.narratives.get(key="chapter:opening").text == "Bergen jobber med målene."

    # text that could not be saved is not lost without a warning when leaving the page
    page.route("**/tekst/", lambda route: route.abort())
    page.type("#t-chapter-policy", "Ikke lagret")
    page.wait_for_selector("#n-chapter-policy .cell-error")
    with page.expect_event("dialog") as dialog:
        page.close(run_before_unload=True)
    assert dialog.value.type == "beforeunload"
    dialog.value.dismiss()
    page.unroute("**/tekst/")
    page.fill("#t-chapter-policy", "")
    page.type("#t-chapter-policy", "Lagret likevel.")
    page.wait_for_selector("#n-chapter-policy .cell-saved")

    # submitting without confirming what is missing keeps the draft and says why
    page.click("#submit-bottom button")
    page.wait_for_selector("#submit-error-bottom")
    check(page, axe_audit, "editor-submit-refused")
    sub.refresh_from_db()
    assert sub.state == "draft"
    page.check("#confirm-bottom")
    page.click("#submit-bottom button")
    page.wait_for_selector("#status .state-submitted")
    check(page, axe_audit, "editor-submitted")
    sub.refresh_from_db()
    assert sub.state == "submitted"
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)


def test_the_county_coordinator_reviews_the_queue_and_returns_with_a_comment(live_server, sign_in, axe_audit):
    from dugnad.rounds.services import submission_submit

    w = world_build()
    round_ = round_national(w)
    sub = submission_submit(user=w.users["bergen"], submission=submission_of(round_, "4601"), confirm_incomplete=True)
    page = sign_in("vestland")
    assert page.url.endswith("/mitt-arbeid/")
    check(page, axe_audit, "county-my-work")
    page.click(f"#til-behandling a[href='/innleveringer/{sub.pk}/']")
    page.wait_for_selector("#return-form")
    assert "kan ikke returneres uten kommentar" in page.inner_text("#return-form")
    check(page, axe_audit, "county-review")

    page.click("#return-form button")  # no comment: the page stays, with the error at the field
    page.wait_for_selector("#return-error")
    assert page.get_attribute("#review-comment", "aria-invalid") == "true"
    check(page, axe_audit, "county-return-refused")
    sub.refresh_from_db()
    assert sub.state == "submitted"
    page.fill("#review-comment", "Tallet for 2025 mangler.")
    page.click("#return-form button")
    page.wait_for_selector("#status .state-returned")
    check(page, axe_audit, "county-returned")
    sub.refresh_from_db()
    assert sub.state == "returned" and sub.review_comment == "Tallet for 2025 mangler."

    # the county's page leads to the round's units and the county review
    page.goto(f"{live_server.url}/enheter/46/")
    page.click("#fylkesgjennomgang a:has-text('kommunenes innleveringer')")
    page.wait_for_selector("#participants-caption")
    check(page, axe_audit, "county-overview")
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)


def test_ks_reads_the_paged_overview_reminds_and_closes_with_confirmation(live_server, browser, axe_audit):
    from django.contrib.auth import get_user_model

    ids = demo_world()
    round_ = Round.objects.get(pk=ids["round"])
    get_user_model().objects.filter(username="bergen").update(email="bergen@example.org")
    total = round_.submissions.count()
    assert total > 300
    page = browser.new_context(locale="nb-NO").new_page()
    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("#id_username", "ks")
    page.fill("#id_password", demo_password("ks"))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/mitt-arbeid/$"))
    assert page.url.endswith("/mitt-arbeid/")
    check(page, axe_audit, "ks-my-work")
    page.click(f"#mine-runder a[href='/runder/{round_.pk}/']")
    page.wait_for_selector("#participants-caption")
    rows = page.locator("table:has(#participants-caption) tbody tr").count()
    assert 0 < rows <= 100 and page.locator("nav.dg-pager").count() == 1
    check(page, axe_audit, "ks-overview")

    # the matrix is clickable: one county's drafts
    page.click("table:has(#matrix-caption) a[href*='fylke=46&status=draft']")
    page.wait_for_url(re.compile(r".*fylke=46&status=draft.*"))
    states = page.locator("table:has(#participants-caption) tbody .state").all_inner_texts()
    assert states and set(states) == {"Utkast"}

    # reminders: a preview first, then sent
    page.goto(f"{live_server.url}/runder/{round_.pk}/")
    page.click(".dg-actions a:has-text('Send påminnelser')")
    page.wait_for_selector("#reminder-preview")
    assert "bergen@example.org" in page.inner_text("#reminder-preview")
    check(page, axe_audit, "ks-reminders")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".dg-messages")
    assert "Sendte 1 påminnelser" in page.inner_text(".dg-messages")

    # closing without the title leaves the round open
    page.fill("#confirmation", "lukk")
    page.click("#lukk button")
    page.wait_for_selector("#close-error")
    check(page, axe_audit, "ks-close-refused")
    round_.refresh_from_db()
    assert round_.state == "open"
    page.fill("#confirmation", round_.title)
    page.click("#lukk button")
    page.wait_for_selector("#gjenapne")
    round_.refresh_from_db()
    assert round_.state == "closed"
    page.fill("#reason", "Fristen er forlenget for tre kommuner.")
    page.click("#gjenapne button")
    page.wait_for_selector("#lukk")
    round_.refresh_from_db()
    assert round_.state == "open"
    assert AuditEntry.objects.get(action="round_reopen").after["reason"] == "Fristen er forlenget for tre kommuner."
    check(page, axe_audit, "ks-reopened")
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
