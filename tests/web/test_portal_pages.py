"""The public portal without login: front page, units, profiles, goals, targets, indicators and compare, in nb/nn/en."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import GoalFactory, LevelFactory, TargetFactory, UnitFactory, world_build

from dugnad.observations.models import ImportRun, Observation
from dugnad.portal.snapshot import forget_snapshot
from dugnad.scores.models import GoalScore, IndexScore, IndicatorScore, ScoreRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    """The reporting world (Norway, Vestland, Oslo fylke, Bergen, Kinn, Oslo) with a finished score run and series."""
    w = world_build()
    run = ScoreRun.objects.create(method="sdsn", method_version="1", year=2025, data_revision="x", fingerprint="y",
                                  status="done")
    ind = w.indicators[0]  # T-A, goal 3, prosent
    ind.name_nb, ind.name_nn, ind.name_en = "Andel røykere", "Del røykjarar", "Share of smokers"
    ind.save()
    values = {"0": 15.0, "46": 14.0, "03": 16.0, "4601": 17446.5, "4602": 12.25, "0301": 16.0}
    for code, value in values.items():
        colour = "red" if code == "4601" else "green"
        IndicatorScore.objects.create(run=run, unit=w.units[code], indicator=ind, goal=3, year=2025, value=value,
                                      score=10.0 if code == "4601" else 80.0, colour=colour, trend="decreasing")
        GoalScore.objects.create(run=run, unit=w.units[code], goal=3, score=25.0, colour="orange", trend="moderately_improving")
        IndexScore.objects.create(run=run, unit=w.units[code], score=61.5, rank=2)
        for period, v in (("2023", value - 1), ("2024", value - 0.5), ("2025", value)):
            Observation.objects.create(unit=w.units[code], indicator=ind, period=period, value=v, status="ok")
    forget_snapshot()
    return w


def spec_of(html: str, dom_id: str) -> dict:
    match = re.search(rf'<script id="{dom_id}-spec" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no figure {dom_id}"
    return json.loads(match.group(1))


def test_every_public_page_opens_without_login(client, scored):
    TargetFactory(code="3.1", goal=GoalFactory(number=3))
    for url in ("/", "/?mal=3", "/?q=berg", "/enheter/", "/enheter/?q=4601", "/enheter/0/", "/enheter/46/",
                "/enheter/4601/", "/mal/", "/mal/3/", "/delmal/3.4/", "/indikatorer/", "/indikatorer/test/T-A/",
                "/indikatorer/test/T-A/?niva=fylke", "/sammenlign/", "/sammenlign/?enheter=4601,4602&indikatorer=test~T-A"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_unknown_things_are_404_and_a_bad_goal_number_is_400(client, scored):
    for url in ("/enheter/9999/", "/mal/18/", "/delmal/3.99/", "/delmal/x/", "/indikatorer/test/NOPE/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/?mal=99").status_code == 400


def test_the_unit_profile_shows_tiles_values_comparisons_and_a_chart_in_norwegian_numbers(client, scored):
    html = client.get("/enheter/4601/").content.decode()
    assert 'class="dg-goal-tile dg-goal-3"' in html and "Betydelige utfordringer" in html and "Moderat forbedring" in html
    assert html.count('class="dg-goal-tile ') == 2  # one tile per goal the catalogue holds (3 and 4 here)
    line = html[html.index('class="dg-indicator-line"'):]
    line = line[:line.index("</article>")]
    assert "17 446,5 prosent (2025)" in line.replace("\xa0", " ")
    assert "Store utfordringer" in line and "Går tilbake" in line
    assert "<dt>Vestland</dt><dd>14</dd>" in line and "<dt>Norge</dt><dd>15</dd>" in line
    spec = spec_of(html, "chart-3-0")
    assert {r["series"] for r in spec["data"]["values"]} == {"Bergen", "Vestland", "Norge"}
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert 'id="locator-map"' in html


def test_english_pages_write_english_names_and_numbers(client, scored):
    client.cookies["django_language"] = "en"
    html = client.get("/enheter/4601/").content.decode()
    assert "17,446.5 prosent (2025)" in html and "Share of smokers" in html and "Significant challenges" in html
    assert '<html lang="en"' in html


def test_the_language_follows_accept_language_until_the_user_chooses(client, scored):
    html = client.get("/mal/", HTTP_ACCEPT_LANGUAGE="nn-NO,nn;q=0.9").content.decode()
    assert '<html lang="nn"' in html and "Dei 17 berekraftsmåla" in html
    html = client.get("/mal/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en"' in html and "The 17 Sustainable Development Goals" in html
    client.post("/i18n/setlang/", {"language": "nb", "next": "/mal/"})
    html = client.get("/mal/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="nb"' in html and "De 17 bærekraftsmålene" in html


def test_target_pages_have_titles_in_three_languages(client, scored):
    assert "Redusere for tidlig død av ikke-smittsomme sykdommer" in client.get("/delmal/3.4/").content.decode()
    client.cookies["django_language"] = "nn"
    assert "Redusere for tidleg død av ikkje-smittsame sjukdommar" in client.get("/delmal/3.4/").content.decode()
    client.cookies["django_language"] = "en"
    assert "By 2030, reduce by one third premature mortality" in client.get("/delmal/3.4/").content.decode()


def test_the_indicator_page_has_maps_of_municipalities_and_counties_a_ranking_and_a_distribution(client, scored):
    html = client.get("/indikatorer/test/T-A/").content.decode()
    municipalities = spec_of(html, "municipality-map")
    assert municipalities["data"]["format"]["feature"] == "kommuner"
    assert spec_of(html, "county-map")["data"]["format"]["feature"] == "fylker"
    assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in html
    ranking = html[html.index('id="ranking-caption"'):]
    ranking = ranking[:ranking.index("</table>")]
    # ranked by score (which respects the direction): Kinn and Oslo (80) before Bergen (10)
    assert ranking.index("Kinn") < ranking.index("Bergen") and ranking.index("Oslo") < ranking.index("Bergen")
    assert 'id="national-series"' in html


def test_the_compare_page_keeps_the_choice_in_the_url_and_names_what_it_skipped(client, scored):
    html = client.get("/sammenlign/?enheter=4601,0301,4601,7777&indikatorer=test~T-A").content.decode()
    table = html[html.index('id="compare-caption"'):html.index("</table>")]
    assert table.index("Bergen") < table.index("Oslo") and table.count("Bergen") == 1
    assert "Ukjent og hoppet over:" in html and "7777" in html
    assert 'value="4601, 0301"' in html
    assert 'id="compare-0"' in html


def test_demo_values_are_labelled_as_demo_data(client, scored):
    html = client.get("/indikatorer/test/T-A/").content.decode()
    assert "Demodata – ikke ekte tall" not in html
    run = ImportRun.objects.create(kind="demo", source="test", is_demo=True)
    Observation.objects.filter(unit__code="4601").update(import_run=run)
    forget_snapshot()
    html = client.get("/indikatorer/test/T-A/").content.decode()
    page = html[html.index('<main'):]
    assert 'class="dg-demo-tag">Demodata – ikke ekte tall' in page
    assert 'class="dg-demo-tag">Demodata' in page[page.index('id="municipality-map"') - 400:]


def test_pages_come_from_the_snapshot_without_queries_of_their_own(client, scored):
    client.get("/enheter/4601/")
    with CaptureQueriesContext(connection) as captured:
        for url in ("/", "/enheter/4601/", "/mal/3/", "/indikatorer/test/T-A/", "/sammenlign/?enheter=4601"):
            assert client.get(url).status_code == 200
    portal_queries = [q["sql"] for q in captured.captured_queries if "score" in q["sql"] or "observation" in q["sql"]]
    assert portal_queries == []


def test_the_snapshot_follows_a_new_score_run(client, scored):
    assert "61,5" in client.get("/enheter/4602/").content.decode()
    run = ScoreRun.objects.create(method="sdsn", method_version="1", year=2025, data_revision="z", fingerprint="w",
                                  status="done", finished_at=dt.datetime.now(dt.UTC))
    IndexScore.objects.create(run=run, unit=scored.units["4602"], score=77.25, rank=1)
    forget_snapshot()  # what REVISION_SECONDS later does by itself
    assert "77,3" in client.get("/enheter/4602/").content.decode()


def test_the_front_page_searches_units_by_name_and_code(client, scored):
    html = client.get("/enheter/?q=berg").content.decode()
    assert '<a href="/enheter/4601/">4601 Bergen</a>' in html and "Kinn" not in html
    html = client.get("/enheter/?q=03").content.decode()
    assert "0301 Oslo" in html and "03 Oslo fylke" in html


def test_a_front_page_map_of_a_goal_colours_the_municipalities_by_status(client, scored):
    html = client.get("/?mal=3").content.decode()
    spec = spec_of(html, "front-map")
    rows = next(t for t in spec["transform"] if "lookup" in t)["from"]["data"]["values"]
    assert {r["code"]: r["status"] for r in rows} == {"4601": "orange", "4602": "orange", "0301": "orange"}
    assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in html


def test_a_unit_without_scores_still_has_a_page(client):
    norway = UnitFactory(code="0", name="Norge", level=LevelFactory(code="country"))
    UnitFactory(code="46", name="Vestland", level=LevelFactory(code="county"), parent=norway)
    GoalFactory(number=1)
    html = client.get("/enheter/46/").content.decode()
    assert "Vestland" in html and "Mangler data" in html


@pytest.mark.parametrize("kind", ["chart", "map"])
def test_the_fast_figure_tag_writes_what_the_figure_component_writes(kind):
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from dugnad.web.figures import Cell, Column, Figure, TableAlternative

    table = TableAlternative(caption="Tabell <1>", caption_id="f-table", columns=[Column("Enhet"), Column("Verdi", numeric=True)],
                             rows=[[Cell("Bergen & co", href="/enheter/4601/"), Cell("1,5", numeric=True)],
                                   [Cell("Kinn"), Cell("–", numeric=True)]])
    figure = Figure(kind=kind, dom_id="f", title="Tittel «x» <b>", alt='Alt "text"', spec={"a": "</script>"}, table=table,
                    demo=True, attribution="Kartgrunnlag" if kind == "map" else "", size="short")
    expected = render_to_string("web/components/figure.html", {"figure": figure, "demo_label": "Demo"})
    fast = Template("{% load portal_tags %}{% figure_html figure %}").render(Context({"figure": figure, "demo_label": "Demo"}))

    def normal(html: str) -> str:
        return re.sub(r">\s+<", "><", html.strip())

    assert normal(fast) == normal(expected)


#: The unit page template's loop over a goal's indicator lines, before ``{% indicator_lines %}`` wrote it in Python.
INDICATOR_LINES_TEMPLATE = """{% load i18n portal_tags %}{% for item in b.lines %}{% with line=item.line %}
    <article class="dg-indicator-line" aria-labelledby="ind-{{ b.block.goal.number }}-{{ forloop.counter }}">
      <h4 id="ind-{{ b.block.goal.number }}-{{ forloop.counter }}" class="ds-heading" data-size="2xs"><a href="{% url 'portal-indicator' line.indicator.framework line.indicator.code %}">{{ item.name }}</a>{{ line.provenance|value_label:lang }}</h4>
      <dl class="dg-facts">
        <div><dt>{% translate "Verdi" %}</dt><dd>{% if line.cell %}{{ line.cell.value|num }} {{ line.indicator.unit_of_measure }}{% if line.cell.year %} ({{ line.cell.year }}){% endif %}{% else %}–{% endif %}</dd></div>
        <div><dt>{% translate "Status" %}</dt><dd>{{ line.cell|cell_status_html }}</dd></div>
        <div><dt>{% translate "Utvikling" %}</dt><dd>{{ line.cell.trend|trend_html }}</dd></div>
        {% if line.county %}<div><dt>{{ parent_name }}</dt><dd>{{ line.county.value|num }}</dd></div>{% endif %}
        {% if line.country %}<div><dt>{{ country_name }}</dt><dd>{{ line.country.value|num }}</dd></div>{% endif %}
        {% if line.similar is not None %}<div><dt>{% translate "Kommuner av samme størrelse" %}</dt><dd>{{ line.similar|num }}</dd></div>{% endif %}
      </dl>
      {% if item.chart %}{% figure_html item.chart %}{% endif %}
    </article>{% endwith %}{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_fast_indicator_lines_tag_writes_what_the_unit_page_loop_wrote(scored, lang):
    import dataclasses

    from django.template import Context, Template
    from django.utils import translation

    from dugnad.portal.selectors import IndicatorLine, portal_snapshot, unit_profile
    from dugnad.portal.snapshot import Cell
    from dugnad.web import portal_figures as figures

    snap = portal_snapshot()
    with translation.override(lang):
        for code in ("4601", "0"):
            profile = unit_profile(snap, code)
            block = next(b for b in profile.goals if b.lines)
            line = block.lines[0]
            lines = [line, IndicatorLine(indicator=dataclasses.replace(line.indicator, unit_of_measure="<m²> & co"),
                                         cell=Cell(None, "grey", "", None, None), county=None, country=None,
                                         similar=3.25, series=[]),
                     IndicatorLine(indicator=line.indicator, cell=None, county=None, country=None, similar=None,
                                   series=[])]
            items = [{"line": x, "name": f"{x.indicator.name(lang)} <{i}>",
                      "chart": figures.line_figure(x, profile.unit, snap, lang, f"chart-3-{i}")}
                     for i, x in enumerate(lines)]
            context = {"b": {"block": block, "lines": items}, "lang": lang, "demo_label": "Demo",
                       "parent_name": "Vest & land", "country_name": "Norge"}
            expected = Template(INDICATOR_LINES_TEMPLATE).render(Context(context))
            fast = Template("{% load portal_tags %}{% indicator_lines b %}").render(Context(context))
            assert items[0]["chart"] is not None and 'class="dg-indicator-line"' in fast
            assert fast == expected


@pytest.mark.parametrize("code", ["green", "red", "grey", None])
def test_the_fast_status_filter_writes_what_the_status_component_writes(code):
    from django.template import Context, Template

    component = Template("{% load design_tags %}{% status_badge code %}").render(Context({"code": code}))
    fast = Template("{% load portal_tags %}{{ code|status_html }}").render(Context({"code": code}))
    assert fast.strip() == component.strip()


@pytest.mark.parametrize("code", ["on_track", "decreasing", "", None])
def test_the_fast_trend_filter_writes_what_the_trend_component_writes(code):
    from django.template import Context, Template

    component = Template("{% load design_tags %}{% trend_arrow code %}").render(Context({"code": code}))
    fast = Template("{% load portal_tags %}{{ code|trend_html }}").render(Context({"code": code}))
    assert fast.strip() == component.strip()


def test_a_signed_in_visitor_also_gets_the_actions_table_of_the_unit(client, scored):
    from tests.factories import PASSWORD

    assert 'id="unit-actions"' not in client.get("/enheter/4601/").content.decode()
    client.login(username="bergen", password=PASSWORD)
    assert 'id="unit-actions"' in client.get("/enheter/4601/").content.decode()


def test_demo_and_real_values_on_one_page_are_labelled_each_by_their_provenance(client, scored):
    demo = ImportRun.objects.create(kind="demo", source="test", is_demo=True, status="ok")
    real = ImportRun.objects.create(kind="telemark", source="loader", status="ok", provenance={
        "name": "Statistisk sentralbyrå (SSB), tabell 06913", "url": "https://www.ssb.no/statbank/table/06913",
        "licence": "CC BY 4.0"})
    Observation.objects.filter(unit__code="4601").update(import_run=demo)
    Observation.objects.exclude(unit__code="4601").update(import_run=real)
    forget_snapshot()
    header = lambda html: html[:html.index("<main")]  # noqa: E731
    bergen = client.get("/enheter/4601/").content.decode()
    assert "Demodata – ikke ekte tall" in header(bergen)
    assert 'class="dg-demo-tag">Demodata – ikke ekte tall' in bergen[bergen.index("<main"):]
    kinn = client.get("/enheter/4602/").content.decode()
    assert "dg-demo-banner" not in header(kinn), "a page of real values only has no demo banner"
    assert "Demodata" not in kinn[kinn.index("<main"):]
    assert "Kilde: Statistisk sentralbyrå (SSB), tabell 06913" in kinn
    html = client.get("/indikatorer/test/T-A/").content.decode()
    assert "Noen tall er demodata" in header(html)
    ranking = html[html.index('id="ranking-caption"'):]
    ranking = ranking[:ranking.index("</table>")]
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in ranking.split("<tr>")[2:]}
    assert "Demodata – ikke ekte tall" in rows["Bergen"]
    assert "Demodata" not in rows["Kinn"] and "Demodata" not in rows["Oslo"]
    assert "Kilde: Statistisk sentralbyrå (SSB), tabell 06913" in html and "CC BY 4.0" in html
    client.cookies["django_language"] = "nn"
    nn = client.get("/enheter/4601/").content.decode()
    assert 'class="dg-demo-tag">Demodata – ikkje ekte tal' in nn
    assert "Nokre av tala på denne installasjonen er demodata" in client.get("/").content.decode()
    assert "Kjelde: Statistisk sentralbyrå" in client.get("/enheter/4602/").content.decode()
