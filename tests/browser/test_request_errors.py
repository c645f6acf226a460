"""A save that fails on the server or in the network is shown as not saved, never left looking saved."""

from __future__ import annotations

import pytest
from tests.factories import round_national, submission_of, world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_cell_save_says_not_saved(sign_in, live_server, axe_audit):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    page = sign_in("bergen")
    page.goto(f"{live_server.url}/innleveringer/{sub.pk}/")
    cell = f"{w.indicators[0].pk}-2025"

    page.fill(f"#v-{cell}", "12")
    page.press(f"#v-{cell}", "Tab")
    page.wait_for_selector(f"#m-{cell}.cell-saved")

    page.route("**/verdi/", lambda route: route.fulfill(status=500, body="<h1>Noe gikk galt</h1>"))
    page.fill(f"#v-{cell}", "13")
    page.press(f"#v-{cell}", "Tab")
    message = page.wait_for_selector(f"#m-{cell}.cell-error")
    assert message.inner_text().startswith("Ikke lagret: feil på serveren")
    assert page.get_attribute(f"#v-{cell}", "aria-invalid") == "true"

    page.unroute("**/verdi/")  # the store is busy (a long import holds SQLite's write lock): 503 says so
    page.route("**/verdi/", lambda route: route.fulfill(status=503, body="busy", headers={"Retry-After": "2"}))
    page.fill(f"#v-{cell}", "13,5")
    page.press(f"#v-{cell}", "Tab")
    page.wait_for_selector(f"#m-{cell}:has-text('dataene oppdateres akkurat nå')")

    page.unroute("**/verdi/")
    page.route("**/verdi/", lambda route: route.abort("connectionreset"))
    page.fill(f"#v-{cell}", "14")
    page.press(f"#v-{cell}", "Tab")
    page.wait_for_selector(f"#m-{cell}:has-text('ingen kontakt med serveren')")
    axe_audit.check(page)
    assert axe_audit.problems == []
