"""Requests across levels in a real browser, with axe-core on every page visited.

A municipal editor finds «Henvendelser» from «Mitt arbeid», sends a request to the county through the form (a
mistyped target first, corrected), and the county coordinator finds it addressed to Vestland, answers it with the
«Send svar» button and marks it followed up. Screenshots at 1366 and 390 px go to ``DUGNAD_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import re

import pytest
from tests.browser.test_actions_flow import look
from tests.factories import JOINT_WORK, world_build

from dugnad.requests.models import LevelRequest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_editor_sends_a_request_and_the_county_coordinator_answers_it(live_server, sign_in, axe_audit):
    world_build(JOINT_WORK)

    bergen = sign_in("bergen")
    bergen.goto(f"{live_server.url}/mitt-arbeid/")
    bergen.click("a:has-text('Henvendelser sendt og mottatt')")
    bergen.wait_for_url(re.compile(r".*/henvendelser/$"))
    look(bergen, axe_audit, "requests-empty")
    bergen.click("text=Ny henvendelse")
    bergen.wait_for_url(re.compile(r".*/henvendelser/ny/$"))
    look(bergen, axe_audit, "request-new")
    bergen.select_option("#id_to_level", "fylke")
    bergen.fill("#id_to_body", "Samferdselsavdelingen")
    bergen.fill("#id_title", "Vi trenger bedre busstilbud til skolene")
    bergen.fill("#id_text", "Elevene i ytre bydeler har over en time reisevei.")
    bergen.fill("#id_target_codes", "11.6, 11.99")
    bergen.click("button:has-text('Send henvendelsen')")
    bergen.wait_for_selector(".ds-error-summary")
    assert "Ukjente delmål: 11.99." in bergen.inner_text("main")
    look(bergen, axe_audit, "request-new-error")
    assert not LevelRequest.objects.exists()
    bergen.fill("#id_target_codes", "11.6")
    bergen.click("button:has-text('Send henvendelsen')")
    bergen.wait_for_url(re.compile(r".*/henvendelser/\d+/$"))
    assert bergen.inner_text("#request-status") == "Sendt"
    look(bergen, axe_audit, "request-sent")
    sent = LevelRequest.objects.get()
    assert (sent.to_unit.code, [t.code for t in sent.targets.all()]) == ("46", ["11.6"])

    vestland = sign_in("vestland")
    vestland.goto(f"{live_server.url}/mitt-arbeid/")
    assert "1 henvendelse til dine enheter venter på svar." in vestland.inner_text("#henvendelser")
    vestland.click("a:has-text('Henvendelser sendt og mottatt')")
    vestland.wait_for_url(re.compile(r".*/henvendelser/$"))
    look(vestland, axe_audit, "requests-received")
    vestland.click("a:has-text('Vi trenger bedre busstilbud til skolene')")
    vestland.wait_for_url(re.compile(rf".*/henvendelser/{sent.pk}/$"))
    look(vestland, axe_audit, "request-answer")
    vestland.click("button:has-text('Send svar')")  # no answer yet: refused, nothing changed
    vestland.wait_for_selector(".ds-error-summary")
    assert "Skriv et svar." in vestland.inner_text("main")
    look(vestland, axe_audit, "request-answer-error")
    vestland.fill("#id_answer", "Fylket tar det opp i neste ruteplan.")
    vestland.click("button:has-text('Send svar')")
    vestland.wait_for_selector("#request-answer")
    assert vestland.inner_text("#request-status") == "Besvart"
    vestland.click("button:has-text('Marker som fulgt opp')")
    vestland.wait_for_function("() => document.getElementById('request-status').textContent.trim() === 'Fulgt opp'")
    look(vestland, axe_audit, "request-followed-up")
    sent.refresh_from_db()
    assert (sent.status, sent.answer) == ("followed_up", "Fylket tar det opp i neste ruteplan.")

    bergen.goto(f"{live_server.url}/henvendelser/{sent.pk}/")
    assert "Fylket tar det opp i neste ruteplan." in bergen.inner_text("#request-answer")
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
