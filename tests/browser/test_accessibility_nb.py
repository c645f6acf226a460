"""Every web page in bokmål: axe-core finds nothing serious and nothing scrolls sideways at 1366 and 390 px."""

from __future__ import annotations

import pytest
from tests.browser.accessibility import audit_every_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_every_page_in_nb_is_accessible_and_fits_a_phone(live_server, browser, axe_audit):
    audit_every_page(live_server, browser, axe_audit, "nb")
