"""Per-value demo labels on the public pages: the unit page's latest-value table, compare and goal pages label each
value from its own import run (``observations.provenance``), not from whether the indicator has any demo value."""

from __future__ import annotations

import pytest
from tests.web.test_portal_pages import scored  # noqa: F401  (the scored reporting world)

from dugnad.observations.models import ImportRun, Observation
from dugnad.portal.snapshot import forget_snapshot

pytestmark = pytest.mark.django_db
DEMO = 'class="dg-demo-tag">Demodata – ikke ekte tall'


@pytest.fixture
def mixed(scored):  # noqa: F811
    """Bergen and Oslo fylke demo; Kinn demo only in 2024 (its 2025 value, the one scored, is real); others real."""
    demo = ImportRun.objects.create(kind="demo", source="test", is_demo=True, status="ok")
    real = ImportRun.objects.create(kind="telemark", source="loader", status="ok",
                                    provenance={"name": "Statistisk sentralbyrå (SSB)", "licence": "CC BY 4.0"})
    Observation.objects.update(import_run=real)
    Observation.objects.filter(unit__code__in=["4601", "03"]).update(import_run=demo)
    Observation.objects.filter(unit__code="4602", period="2024").update(import_run=demo)
    forget_snapshot()
    return scored


def _cells(html: str, caption_id: str) -> str:
    table = html[html.index(f'id="{caption_id}"'):]
    return table[:table.index("</table>")]


def test_compare_labels_each_value_by_its_own_year(client, mixed):
    html = client.get("/sammenlign/?enheter=4601,4602,0301&indikatorer=test~T-A").content.decode()
    row = _cells(html, "compare-caption").split("<tbody>")[1]
    cells = row.split('<td class="num">')[1:]
    assert DEMO in cells[0]                                  # Bergen 2025: demo
    assert "Demodata" not in cells[1] and "Demodata" not in cells[2]  # Kinn 2025 and Oslo: real
    assert DEMO in html[html.index('id="compare-heading"'):html.index('id="compare-caption"')]


def test_compare_heading_has_no_demo_label_when_no_shown_value_is_demo(client, mixed):
    html = client.get("/sammenlign/?enheter=4602,0301&indikatorer=test~T-A").content.decode()
    assert "Demodata" not in html[html.index('id="compare-heading"'):html.index("</table>")]


def test_unit_page_latest_value_table_labels_demo_values_only(client, mixed):
    bergen = _cells(client.get("/enheter/4601/").content.decode(), "unit-values-caption")
    kinn = _cells(client.get("/enheter/4602/").content.decode(), "unit-values-caption")
    assert DEMO in bergen
    assert "Demodata" not in kinn  # Kinn's latest value (2025) is real; its demo 2024 value is not the one shown


def test_goal_page_labels_norway_each_county_and_each_indicator_by_their_values(client, mixed):
    html = client.get("/mal/3/").content.decode()
    main = html[html.index("<main"):]
    facts = main[:main.index("</dl>")]
    assert "Demodata" not in facts  # Norway's values are real, though demo data exist elsewhere
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in _cells(html, "counties-caption").split("<tr>")[2:]}
    assert DEMO in rows["Oslo fylke"] and "Demodata" not in rows["Vestland"]
    indicators = main[main.index('id="indicators-heading"'):main.index('id="counties-caption"')]
    assert 'class="dg-demo-tag">Noen tall er demodata' in indicators  # T-A: demo and real values
    client.cookies["django_language"] = "en"
    assert 'class="dg-demo-tag">Some figures are demo data' in client.get("/mal/3/").content.decode()
