"""The whole round flow in a real browser, with axe-core on every page visited."""

from __future__ import annotations

import re

import pytest
from tests.factories import PASSWORD, world_build

from dugnad.rounds.models import Round, Snapshot, Submission

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def sign_in(browser, live_server, username, audit):
    """A new browser context signed in as the user (the login page is audited)."""
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    page.goto(f"{live_server.url}/logg-inn/")
    audit.check(page)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    return page


def visit(page, audit, url):
    page.goto(url)
    audit.check(page)


def save_cell(page, submission, indicator, period, text):
    """Type a value into a grid cell, leave it with Tab and wait for the saved message."""
    dom = f"{indicator.pk}-{period}"
    page.fill(f"#v-{dom}", text)
    page.press(f"#v-{dom}", "Tab")
    page.wait_for_selector(f"#m-{dom}.cell-saved")


def test_round_flow_from_opening_to_approval_with_an_unchanged_snapshot(live_server, browser, axe_audit):
    w = world_build()
    target = w.indicators[0]

    # KS opens a national round
    ks = sign_in(browser, live_server, "ks", axe_audit)
    visit(ks, axe_audit, f"{live_server.url}/runder/")
    ks.click("text=Åpne en ny runde")
    ks.wait_for_url(re.compile(r".*/runder/ny/.*"))
    axe_audit.check(ks)
    ks.fill("#id_title", "Rapportering 2025")
    ks.select_option("#id_scope", str(w.units["0"].pk))
    ks.fill("#id_year", "2025")
    ks.fill("#id_deadline", "2030-06-30")
    ks.click("button:has-text('Åpne runden')")
    ks.wait_for_url(re.compile(r".*/runder/\d+/$"))
    axe_audit.check(ks)
    round_ = Round.objects.get()
    assert round_.submissions.count() == 6 and round_.questions.count() == 4  # 3 municipalities, 2 counties, Norge
    submission = Submission.objects.get(round=round_, unit__code="4601")
    sub_url = f"{live_server.url}/innleveringer/{submission.pk}/"

    # Bergen's editor fills data, narratives and survey, and submits
    bergen = sign_in(browser, live_server, "bergen", axe_audit)
    visit(bergen, axe_audit, f"{live_server.url}/runder/")
    bergen.click("text=Rapportering 2025 – Bergen")
    bergen.wait_for_url(sub_url)
    axe_audit.check(bergen)
    save_cell(bergen, submission, target, "2025", "12,5")
    save_cell(bergen, submission, w.indicators[1], "2024", "300")
    bergen.fill(f"#v-{target.pk}-2023", "tolv")
    bergen.press(f"#v-{target.pk}-2023", "Tab")
    bergen.wait_for_selector(f"#m-{target.pk}-2023.cell-error")
    axe_audit.check(bergen)
    bergen.fill("#t-chapter-opening", "Bergen jobber **systematisk** med bærekraftsmålene.")
    bergen.click("#n-chapter-opening button")  # «Lagre nå»; the text also saves itself after a pause
    bergen.wait_for_selector("#n-chapter-opening .preview strong")
    question = round_.questions.get(position=1)
    bergen.check(f"#a-{question.pk}-ja")
    bergen.click(f"#q-{question.pk} button")
    bergen.wait_for_selector(f"#q-{question.pk} .cell-saved")
    bergen.check("#confirm-top")
    bergen.click("#submit-top button")
    bergen.wait_for_selector(".state-submitted")
    axe_audit.check(bergen)

    # Vestland returns it with a comment
    vestland = sign_in(browser, live_server, "vestland", axe_audit)
    visit(vestland, axe_audit, f"{live_server.url}/runder/{round_.pk}/")
    visit(vestland, axe_audit, sub_url)
    vestland.fill("#review-comment", "Tallet for 2025 ser for lavt ut – kan dere sjekke?")
    vestland.click("button:has-text('Returner med kommentar')")
    vestland.wait_for_selector(".state-returned")
    axe_audit.check(vestland)

    # the editor sees the comment, fixes the value and resubmits
    visit(bergen, axe_audit, sub_url)
    assert "ser for lavt ut" in bergen.inner_text(".review-comment")
    save_cell(bergen, submission, target, "2025", "13")
    bergen.check("#confirm-bottom")
    bergen.click("#submit-bottom button")
    bergen.wait_for_selector(".state-submitted")

    # Vestland approves; the snapshot holds 13
    visit(vestland, axe_audit, sub_url)
    vestland.click("button:has-text('Godkjenn')")
    vestland.wait_for_selector(".state-approved")
    axe_audit.check(vestland)
    snapshot = Snapshot.objects.get(submission=submission, kind="approval")
    frozen = snapshot.data
    vestland.click("#bilder a")
    vestland.wait_for_selector("#snapshot-values")
    axe_audit.check(vestland)
    snapshot_text = vestland.inner_text("#snapshot-values")
    assert "13" in snapshot_text

    # a later edit (reopened by the county) does not change the snapshot
    vestland.goto(sub_url)
    vestland.fill("#review-comment", "Gjenåpnet: legg til 2024-tallet.")
    vestland.click("button:has-text('Gjenåpne og returner')")
    vestland.wait_for_selector(".state-returned")
    visit(bergen, axe_audit, sub_url)
    save_cell(bergen, submission, target, "2025", "14")
    snapshot.refresh_from_db()
    assert snapshot.data == frozen
    vestland.goto(f"{sub_url}bilder/{snapshot.pk}/")
    assert vestland.inner_text("#snapshot-values") == snapshot_text

    # the coordinator overview and the unit dashboard are accessible too
    visit(ks, axe_audit, f"{live_server.url}/runder/{round_.pk}/?fylke=46")
    visit(bergen, axe_audit, f"{live_server.url}/enheter/4601/dashbord/")
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
    assert len(axe_audit.visited) >= 15
