"""The units page lists units; each unit has a page; the demo banner shows (the portal's own tests: test_portal_pages)."""

from __future__ import annotations

import pytest
from tests.factories import LevelFactory, UnitFactory

from dugnad.observations.models import ImportRun
from dugnad.portal.snapshot import forget_snapshot

pytestmark = pytest.mark.django_db


def test_the_units_page_lists_current_units(client):
    UnitFactory(code="4601", name="Bergen")
    response = client.get("/enheter/")
    assert response.status_code == 200
    assert "4601 Bergen" in response.content.decode()


def test_a_unit_page_links_its_county(client):
    county = UnitFactory(code="46", name="Vestland", level=LevelFactory(code="county"))
    UnitFactory(code="4601", name="Bergen", parent=county)
    html = client.get("/enheter/4601/").content.decode()
    assert "Bergen" in html and 'href="/enheter/46/"' in html


def test_unknown_unit_is_404(client):
    assert client.get("/enheter/9999/").status_code == 404


def test_demo_banner_only_when_demo_data_is_loaded(client):
    UnitFactory(code="4601", name="Bergen")
    assert "Demodata – ikke ekte tall" not in client.get("/").content.decode()
    ImportRun.objects.create(kind="demo", source="test", is_demo=True)
    forget_snapshot()  # public pages follow a new data revision within a few seconds; a test does not wait
    html = client.get("/").content.decode()
    header = html[html.index('<header class="dg-header">'):html.index("</header>")]
    assert '<div class="dg-demo-banner" role="note">' in header and "Demodata – ikke ekte tall" in header, "inside a landmark"
    client.cookies["django_language"] = "en"
    assert "Demo data – not real figures" in client.get("/").content.decode()
