"""The county mobilisation funnel in a real browser: from «Mitt arbeid» to the funnel, one click invites a
municipality, the row then says when and to which network; axe-core on each page, at 1366 and 390 px."""

from __future__ import annotations

import re

import pytest
from tests.factories import world_build

from dugnad.networks.models import Invitation, Network

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _fits(page) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{page.url} scrolls sideways at {width} px"


def test_the_county_coordinator_invites_a_municipality_from_the_funnel(live_server, sign_in, axe_audit):
    w = world_build()
    Network.objects.create(name="Bærekraftsnettverket Vestland", lead_unit=w.units["46"])

    page = sign_in("vestland")  # lands on «Mitt arbeid»
    page.click("text=Mobilisering av kommunene i Vestland")
    page.wait_for_url(re.compile(r".*/fylker/46/mobilisering/$"))
    axe_audit.check(page)
    _fits(page)
    row = page.locator("tr", has_text="Bergen")
    assert "Ikke startet" in row.inner_text()

    row.get_by_role("button", name="Inviter Bergen").click()
    page.wait_for_url(re.compile(r".*/fylker/46/mobilisering/$"))
    page.wait_for_selector("text=Bergen er invitert til «Bærekraftsnettverket Vestland».")
    axe_audit.check(page)
    _fits(page)
    invitation = Invitation.objects.get(unit=w.units["4601"])
    assert (invitation.network.name, invitation.invited_by.username) == ("Bærekraftsnettverket Vestland", "vestland")
    row = page.locator("tr", has_text="Bergen")
    assert "Invitert" in row.inner_text() and "Bærekraftsnettverket Vestland" in row.inner_text()
    assert row.get_by_role("button", name="Inviter Bergen").count() == 0  # the county's only network is taken
    assert axe_audit.problems == []
