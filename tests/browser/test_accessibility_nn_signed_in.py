"""Every page the demo roles see (with the anonymous half: every routed page), in nynorsk: axe-core finds nothing serious
and nothing scrolls sideways at 1366 and 390 px."""

from __future__ import annotations

import pytest
from tests.browser.accessibility import audit_signed_in_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow(seconds=240), pytest.mark.django_db(transaction=True)]


def test_every_signed_in_page_in_nn_is_accessible_and_fits_a_phone(live_server, browser, axe_audit):
    audit_signed_in_pages(live_server, browser, axe_audit, "nn")
