"""«Last opp data» in a real browser: a bad file shows its located problem and changes nothing; a good one imports."""

from __future__ import annotations

import pytest
from tests.factories import world_build

from dugnad.observations.models import Observation

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def choose_and_check(page, tmp_path, name: str, text: str) -> None:
    """Pick the file in the form's file field and press «Kontroller fila»."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Kontroller fila')")
    page.wait_for_selector("#h-result")


def test_upload_reports_an_unknown_indicator_then_imports_a_good_file(live_server, sign_in, axe_audit, tmp_path):
    world_build()
    page = sign_in("bergen")
    page.goto(f"{live_server.url}/enheter/4601/")
    page.click("main a:has-text('Last opp data')")
    page.wait_for_selector("#id_file")
    axe_audit.check(page)

    choose_and_check(page, tmp_path, "feil.csv", "unit,indicator,year,value\n4601,T-A,2024,12.5\n4601,NOPE,2024,3\n")
    row = page.locator("table tbody tr", has_text="NOPE")
    assert "rad 3" in row.inner_text() and "unknown indicator code" in row.inner_text()
    assert page.locator("button:has-text('Importer tallene')").count() == 0
    assert Observation.objects.count() == 0
    axe_audit.check(page)

    choose_and_check(page, tmp_path, "tall.csv", "unit,indicator,year,value\n4601,T-A,2024,12.5\n4601,T-B,2024,300\n")
    assert "2 nye" in page.inner_text("main")
    assert Observation.objects.count() == 0
    page.click("button:has-text('Importer tallene')")
    page.wait_for_url(f"{live_server.url}/enheter/4601/")
    assert "tall.csv er importert" in page.inner_text("main")
    assert set(Observation.objects.values_list("indicator__code", "value")) == {("T-A", 12.5), ("T-B", 300.0)}
    assert axe_audit.problems == []
