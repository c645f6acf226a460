"""«Lag rapport» filled in a real browser as a person does: choose the language and format in the form, press the button.

A nynorsk VLR for Bergen, a county review of Vestland and a VSR; the worker makes the files; a bad choice is shown on
the form in the user's language, not as a bare error page.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from tests.publications.conftest import published_world

from dugnad.publications.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _worker_run() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def _make(page, live_server, url: str, language_label: str, fmt: str) -> None:
    page.goto(f"{live_server.url}{url}")
    assert page.locator("#pub-lang option").all_inner_texts() == ["Norsk (bokmål)", "Norsk (nynorsk)", "English"]
    page.select_option("#pub-lang", label=language_label)
    page.select_option("#pub-format", value=fmt)
    page.click("button:has-text('Lag rapport')")
    page.wait_for_url(re.compile(r".*/rapporter/.*|.*type=.*"))


def test_a_person_makes_a_nynorsk_vlr_a_county_review_and_a_vsr_through_the_form(live_server, browser, sign_in,
                                                                                 axe_audit):
    published = published_world()
    round_id = published.round.pk
    base = f"/runder/{round_id}/rapporter/"

    bergen = sign_in("bergen")
    _make(bergen, live_server, f"{base}?type=vlr&enhet=4601", "Norsk (nynorsk)", "html")
    axe_audit.check(bergen)
    vestland = sign_in("vestland")
    _make(vestland, live_server, f"{base}?type=county-review&enhet=46", "Norsk (bokmål)", "pdf")
    ks = sign_in("ks")
    _make(ks, live_server, f"{base}?type=vsr", "English", "html")
    _worker_run()

    made = {(p.kind, p.unit.code if p.unit else "", p.language, p.format, p.state)
            for p in Publication.objects.select_related("unit")}
    assert made == {("vlr", "4601", "nn", "html", "done"), ("county-review", "46", "nb", "pdf", "done"),
                    ("vsr", "", "en", "html", "done")}
    bergen.reload()
    assert bergen.locator("a:has-text('Last ned')").count() == 1
    assert axe_audit.problems == []


def test_a_second_request_while_one_is_being_made_is_refused_on_the_form_in_the_users_language(live_server, browser,
                                                                                              sign_in):
    published = published_world()
    page = sign_in("bergen")
    page.goto(f"{live_server.url}/runder/{published.round.pk}/rapporter/?type=vlr&enhet=4601")
    page.click("button:has-text('Lag rapport')")
    page.wait_for_selector("text=Ingen versjoner ennå.", state="detached")
    page.click("button:has-text('Lag rapport')")  # the first is still queued: no worker has run
    summary = page.locator("#report-errors")
    assert "lages allerede" in summary.inner_text()
    assert page.locator("#pub-lang").count() == 1  # the form is still there, not a bare error page
    assert Publication.objects.count() == 1
