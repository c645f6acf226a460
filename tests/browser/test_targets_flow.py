"""Local 2030 targets in a real browser, with axe-core on every page visited.

Bergen's editor signs in through the login form, opens Bergen's target page, types a value that is not a number
and reads the error on the field, then publishes a new version of Bergen's target and sees it in the version
history (the old one marked superseded); the demo target carries its «Demodata» tag. Bergen's reader gets no form,
and a post made anyway is refused (403) with nothing written.
"""

from __future__ import annotations

import re

import pytest
from tests.factories import JOINT_WORK, world_build

from dugnad.targets.models import LocalTarget
from dugnad.targets.services import target_set
from dugnad.targets.vocab import CommitmentSource

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_editor_publishes_a_new_version_of_a_target_and_a_reader_is_refused(live_server, sign_in, axe_audit):
    w = world_build(JOINT_WORK)
    rate, count, _lower = w.indicators
    target_set(user=w.users["bergen"], unit=w.units["4601"], indicator=rate, value=80, rationale="Kommuneplanen")
    LocalTarget.objects.create(unit=w.units["4601"], indicator=count, value=12, source=CommitmentSource.DEMO,
                               is_demo=True)
    url = f"{live_server.url}/enheter/4601/mal-2030/"

    bergen = sign_in("bergen")
    bergen.goto(url)
    assert bergen.locator(f"#mal-{count.pk}-2030-title .tag").inner_text() == "Demodata"
    assert bergen.locator(f"#mal-{rate.pk}-2030-title .tag").count() == 0
    axe_audit.check(bergen)
    # «Publiser ny versjon» prefills the form with the version in force
    bergen.click(f"#mal-{rate.pk}-2030 a:has-text('Publiser ny versjon')")
    assert bergen.input_value("#id_value") == "80"
    assert bergen.input_value("#id_rationale") == "Kommuneplanen"
    bergen.fill("#id_value", "mye")
    bergen.click("button:has-text('Lagre målet')")
    assert "Målverdien må være et tall." in bergen.inner_text("#id_value-error")
    axe_audit.check(bergen)
    assert LocalTarget.objects.filter(unit=w.units["4601"], indicator=rate).count() == 1

    bergen.select_option("#id_indicator", str(rate.pk))
    bergen.fill("#id_value", "82,5")
    bergen.fill("#id_rationale", "Ny klimaplan vedtatt")
    bergen.select_option("#id_source", "council_decision")
    bergen.fill("#id_reference", "Bystyresak 123/26")
    bergen.click("button:has-text('Lagre målet')")
    bergen.wait_for_url(re.compile(r".*/enheter/4601/mal-2030/(#mal-skjema)?$"))  # the redirect keeps the fragment
    assert "versjon 2" in bergen.inner_text(".dg-messages")
    history = bergen.inner_text(f"#mal-{rate.pk}-2030")
    assert "82,5" in history or "82.5" in history
    assert "Bystyresak 123/26" in history and "erstattet" in history and "i kraft" in history
    axe_audit.check(bergen)
    current = LocalTarget.objects.in_force().get(unit=w.units["4601"], indicator=rate)
    assert (current.version, current.value, current.source, current.created_by.username) == (
        2, 82.5, "council_decision", "bergen")

    # a reader of Bergen sees the targets but no form, and a post made anyway is refused
    reader = sign_in("bergen-leser")
    reader.goto(url)
    assert reader.locator("#mal-skjema").count() == 0
    assert "82,5" in reader.inner_text(f"#mal-{rate.pk}-2030") or "82.5" in reader.inner_text(f"#mal-{rate.pk}-2030")
    token = next(c["value"] for c in reader.context.cookies() if c["name"] == "csrftoken")
    answer = reader.request.post(url, form={"indicator": str(rate.pk), "value": "1", "year": "2030",
                                            "source": "plan"}, headers={"X-CSRFToken": token, "Referer": url})
    assert answer.status == 403
    assert LocalTarget.objects.filter(unit=w.units["4601"], indicator=rate).count() == 2
    assert axe_audit.problems == []
