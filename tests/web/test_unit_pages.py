"""The front page lists units; each unit has a page with its latest values; the demo banner shows."""

from __future__ import annotations

import pytest
from tests.factories import IndicatorFactory, IndicatorSpecFactory, LevelFactory, UnitFactory

from dugnad.observations.models import ImportRun, Observation

pytestmark = pytest.mark.django_db


def test_front_page_lists_current_units(client):
    UnitFactory(code="4601", name="Bergen")
    response = client.get("/")
    assert response.status_code == 200
    assert "4601 Bergen" in response.content.decode()


def test_unit_page_shows_latest_available_value_per_indicator(client):
    county = UnitFactory(code="46", name="Vestland", level=LevelFactory(code="county"))
    bergen = UnitFactory(code="4601", name="Bergen", parent=county)
    spec = IndicatorSpecFactory(indicator=IndicatorFactory(name_nb="Valgdeltakelse"), unit_of_measure="prosent")
    for period, value in (("2022", 61.5), ("2023", 64.25), ("2024", None)):
        status = "ok" if value is not None else "missing"
        Observation.objects.create(unit=bergen, indicator=spec.indicator, period=period, value=value, status=status)
    html = client.get("/enheter/4601/").content.decode()
    values = html[html.index('<table class="ds-table data-table"'):html.index("</table>")]
    assert "Valgdeltakelse" in values
    assert "64.25" in values or "64,25" in values
    assert "2023" in values and "2024" not in values
    assert "61,5" not in html and "61.5" not in html
    assert 'href="/enheter/46/"' in html


def test_unknown_unit_is_404(client):
    assert client.get("/enheter/9999/").status_code == 404


def test_demo_banner_only_when_demo_data_is_loaded(client):
    UnitFactory(code="4601", name="Bergen")
    assert "Demodata – ikke ekte tall" not in client.get("/").content.decode()
    ImportRun.objects.create(kind="demo", source="test", is_demo=True)
    html = client.get("/").content.decode()
    header = html[html.index('<header class="dg-header">'):html.index("</header>")]
    assert '<div class="dg-demo-banner" role="note">' in header and "Demodata – ikke ekte tall" in header, "inside a landmark"
    client.cookies["django_language"] = "en"
    assert "Demo data – not real figures" in client.get("/").content.decode()
