"""A shared reading of an SDG target in a real browser, with axe-core on every page visited.

A county editor opens the reading of 11.6 for Vestland from the readings page and proposes it through the form; a
county reader comments on it; the county coordinator agrees it with the button; then anyone sees it on the public
target page and at its citable address. Everyone signs in through the login form.
"""

from __future__ import annotations

import re

import pytest
from tests.factories import JOINT_WORK, UserFactory, world_build

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.readings.models import Reading

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_reading_is_proposed_discussed_and_agreed_in_the_browser(live_server, browser, sign_in, axe_audit):
    w = world_build(JOINT_WORK)
    for username, role in (("vestland-redaktor", Role.COUNTY_EDITOR), ("vestland-leser", Role.COUNTY_READER)):
        Membership.objects.create(user=UserFactory(username=username), unit=w.units["46"], role=role)

    # the county editor starts the reading from the readings page and proposes it
    editor = sign_in("vestland-redaktor")
    editor.goto(f"{live_server.url}/lesninger/")
    axe_audit.check(editor)
    editor.fill("#id_delmal", "99.9")
    editor.click("main button:has-text('Åpne lesningen')")
    editor.wait_for_selector("main .error-summary")
    assert "Ukjent delmål: 99.9" in editor.inner_text("main .error-summary")
    axe_audit.check(editor)
    editor.fill("#id_delmal", "11.6")
    editor.select_option("#id_enhet", "46")
    editor.click("main button:has-text('Åpne lesningen')")
    editor.wait_for_url(re.compile(r".*/delmal/11\.6/lesning/46/$"))
    axe_audit.check(editor)
    editor.click("main button:has-text('Foreslå lesningen')")  # empty: the form says what is missing
    editor.wait_for_selector("main .ds-validation-message")
    axe_audit.check(editor)
    assert not Reading.objects.exists()
    editor.fill("#id_ny-text", "I Vestland betyr delmålet renere luft i byene og mindre restavfall.")
    editor.get_by_label(re.compile(r"^T-C")).check()
    editor.click("main button:has-text('Foreslå lesningen')")
    editor.wait_for_selector("main .message-success")
    reading = Reading.objects.get()
    assert (reading.state, reading.unit.code, reading.target.code) == ("proposed", "46", "11.6")
    assert [i.code for i in reading.versions.get().indicators.all()] == ["T-C"]
    assert "Gjør versjon 1 omforent" not in editor.inner_text("main")  # the editor writes but does not agree

    # a county reader comments
    reader = sign_in("vestland-leser")
    reader.goto(f"{live_server.url}/delmal/11.6/lesning/46/")
    reader.fill("#id_kommentar-text", "Husk kollektivtrafikken.")
    reader.click("main button:has-text('Legg til kommentar')")
    reader.wait_for_selector("main .message-success")
    axe_audit.check(reader)
    assert "Husk kollektivtrafikken." in reader.inner_text("main")
    reading.refresh_from_db()
    assert reading.state == "under_discussion"

    # the county coordinator agrees it
    coordinator = sign_in("vestland")
    coordinator.goto(f"{live_server.url}/delmal/11.6/lesning/46/")
    axe_audit.check(coordinator)
    coordinator.click("main button:has-text('Gjør versjon 1 omforent')")
    coordinator.wait_for_selector("main .message-success")
    axe_audit.check(coordinator)
    reading.refresh_from_db()
    assert reading.state == "agreed" and reading.agreements.get().agreed_by.username == "vestland"

    # anyone sees it at its citable address, linked from the target page
    anonymous = browser.new_context(locale="nb-NO").new_page()
    anonymous.goto(f"{live_server.url}/delmal/11.6/")
    axe_audit.check(anonymous)
    anonymous.click("main a:has-text('Vestland')")
    anonymous.wait_for_url(re.compile(r".*/delmal/11\.6/lesning/46/v1/$"))
    axe_audit.check(anonymous)
    assert re.search(r"Felles lesning av delmål 11\.6, Vestland fylkeskommune, versjon 1, \d+\. \w+ \d{4}",
                     anonymous.inner_text("main cite"))
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
