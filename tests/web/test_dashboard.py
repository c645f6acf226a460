"""The unit dashboard: charts with the publications' specs, a colour legend, comparisons filled at every level."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from tests.factories import PASSWORD, world_build

from dugnad.observations.models import Observation
from dugnad.scores.models import GoalScore, IndicatorScore, ScoreRun

pytestmark = pytest.mark.django_db


def scored(w):
    run = ScoreRun.objects.create(method="sdsn", method_version="1", year=2025, data_revision="x", fingerprint="y",
                                  status="done", finished_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    ind = w.indicators[0]
    for code, value, colour in (("4601", 10.0, "red"), ("4602", 20.0, "green"), ("0301", 30.0, "yellow"),
                                ("46", 15.0, "orange"), ("0", 18.0, "yellow")):
        IndicatorScore.objects.create(run=run, unit=w.units[code], indicator=ind, goal=3, year=2025, value=value,
                                      score=value * 2, colour=colour, trend="moderately_improving")
    GoalScore.objects.create(run=run, unit=w.units["4601"], goal=3, score=70.4, colour="red", trend="decreasing")
    GoalScore.objects.create(run=run, unit=w.units["0"], goal=3, score=60.0, colour="yellow", trend="on_track")
    return run, ind


def test_the_dashboard_has_a_legend_a_goal_chart_and_a_trend_chart(client):
    w = world_build()
    _run, ind = scored(w)
    for year, value in ((2021, 12.0), (2022, 11.0), (2023, 10.0)):
        Observation.objects.create(unit=w.units["4601"], indicator=ind, period=str(year), value=value)
    assert client.login(username="bergen", password=PASSWORD)
    html = client.get(reverse("unit-dashboard", args=["4601"])).text
    assert "to svakeste indikatorer" in html and 'id="colour-legend"' in html
    for words in ("Mål nådd", "Store utfordringer", "Mangler data"):
        assert words in html
    specs = {m.group(1): json.loads(m.group(2)) for m in
             re.finditer(r'<script id="([\w-]+)-spec" type="application/json">(.*?)</script>', html, re.S)}
    assert specs["goal-chart"]["mark"]["type"] == "bar" and specs["goal-chart"]["data"]["values"][0]["value"] == 70.4
    assert specs["trend-chart"]["mark"]["type"] == "line"
    assert [r["period"] for r in specs["trend-chart"]["data"]["values"]] == ["2021", "2022", "2023"]
    text = re.sub(r"<[^>]+>", " ", html)  # the words on the page, without class names
    assert "beregning sdsn" not in text and "moderately_improving" not in text and "Moderat forbedring" in text


def test_norways_dashboard_compares_with_counties_and_municipalities(client):
    w = world_build()
    scored(w)
    assert client.login(username="admin", password=PASSWORD)
    page = client.get(reverse("unit-dashboard", args=["0"]))
    assert page.context["comparison_labels"] == ["Fylkene (median)", "Kommunene (median)"]
    line = page.context["lines"][0]
    assert line.comparisons == [15.0, 20.0]  # counties: 46 only; municipalities 10, 20, 30


def test_another_units_dashboard_answers_in_the_site_layout_with_a_way_on(client):
    w = world_build()
    assert client.login(username="bergen", password=PASSWORD)
    page = client.get(reverse("unit-dashboard", args=["4602"]))
    assert page.status_code == 403
    assert "Du har ikke tilgang til dashbordet for Kinn" in page.text and 'href="/"' in page.text
    assert "<header" in page.text and w


def test_the_dashboard_labels_a_demo_value_and_names_a_real_source(client):
    from dugnad.observations.models import ImportRun

    w = world_build()
    _run, ind = scored(w)
    Observation.objects.create(unit=w.units["4601"], indicator=ind, period="2025", value=10.0,
                               import_run=ImportRun.objects.create(kind="demo", source="x", is_demo=True, status="ok"))
    assert client.login(username="bergen", password=PASSWORD)
    html = client.get(reverse("unit-dashboard", args=["4601"])).text
    table = html[html.index('id="lines-caption"'):html.index("</table>", html.index('id="lines-caption"'))]
    assert 'class="dg-demo-tag">Demodata – ikke ekte tall' in table
    Observation.objects.filter(unit=w.units["4601"]).update(import_run=ImportRun.objects.create(
        kind="telemark", source="loader", status="ok", provenance={"name": "NAV", "licence": "NLOD 2.0"}))
    html = client.get(reverse("unit-dashboard", args=["4601"])).text
    assert "Demodata" not in html[html.index("<main"):] and "dg-demo-banner" not in html
    assert "Kilder: NAV (lisens NLOD 2.0)" in html
