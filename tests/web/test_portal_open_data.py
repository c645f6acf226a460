"""Downloads (CSV, XLSX, JSON-stat) of every public page, the /embed/ pages and their framing headers, ?ar=YYYY."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from tests.factories import GoalFactory, TargetFactory
from tests.web.test_portal_pages import scored, spec_of  # noqa: F401 - the fixture

from dugnad.observations.models import ImportRun

pytestmark = pytest.mark.django_db

PAGES = {
    "/": "/data",
    "/enheter/4601/": "/enheter/4601/data",
    "/mal/3/": "/mal/3/data",
    "/delmal/3.1/": "/delmal/3.1/data",
    "/indikatorer/test/T-A/": "/indikatorer/test/T-A/data",
    "/sammenlign/?enheter=4601,4602&indikatorer=test~T-A": "/sammenlign/data",
}


@pytest.fixture
def world(scored):  # noqa: F811
    TargetFactory(code="3.1", goal=GoalFactory(number=3))
    from dugnad.catalogue.models import Target

    scored.indicators[0].targets.add(Target.objects.get(code="3.1"))
    from dugnad.portal.snapshot import forget_snapshot

    forget_snapshot()
    return scored


@pytest.mark.parametrize("page", list(PAGES))
def test_every_public_page_links_its_data_in_three_formats(client, world, page):
    html = client.get(page).content.decode()
    stem = PAGES[page]
    for ext in ("csv", "xlsx", "json"):
        match = re.search(rf'<a href="({re.escape(stem)}\.{ext}[^"]*)" download="([^"]+\.{ext})"', html)
        assert match, (page, ext)
        response = client.get(match.group(1).replace("&amp;", "&"))
        assert response.status_code == 200, match.group(1)
        assert f'filename="{match.group(2)}"' in response["Content-Disposition"]
        assert response.content


def test_the_unit_csv_holds_the_series_scores_source_and_licence(client, world):
    response = client.get("/enheter/4601/data.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    series = [r for r in rows if r["indicator"] == "test/T-A"]
    assert [(r["period"], float(r["value"])) for r in series] == [("2023", 17445.5), ("2024", 17446.0), ("2025", 17446.5)]
    assert {r["unit"] for r in rows} == {"4601"} and series[0]["unit_name"] == "Bergen"
    assert "licence" in rows[0] and "source" in rows[0] and "note" in rows[0]
    goal = next(r for r in rows if r["indicator"] == "goal-3")
    assert float(goal["value"]) == 25.0 and goal["period"] == "2025"
    assert float(next(r for r in rows if r["indicator"] == "index")["value"]) == 61.5


def test_demo_values_are_labelled_in_every_format(client, world):
    from dugnad.observations.models import Observation
    from dugnad.portal.snapshot import forget_snapshot

    demo_run = ImportRun.objects.create(source="demo", is_demo=True)
    Observation.objects.filter(unit__code="4601").update(import_run=demo_run)
    forget_snapshot()
    rows = list(csv.DictReader(io.StringIO(client.get("/enheter/4601/data.csv").content.decode("utf-8-sig"))))
    assert {r["note"] for r in rows if r["indicator"] == "test/T-A"} == {"Demodata – ikke ekte tall"}
    document = json.loads(client.get("/enheter/4601/data.json").content)
    assert "Demodata – ikke ekte tall" in document["note"] and document["extension"]["demo"] is True
    book = load_workbook(io.BytesIO(client.get("/enheter/4601/data.xlsx").content))
    about = {row[0]: row[1] for row in book["om"].iter_rows(values_only=True)}
    assert about["Merknad"] == "Demodata – ikke ekte tall"


def test_the_xlsx_opens_with_openpyxl_and_holds_the_same_rows_as_the_csv(client, world):
    rows = list(csv.DictReader(io.StringIO(client.get("/indikatorer/test/T-A/data.csv").content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(client.get("/indikatorer/test/T-A/data.xlsx").content))
    sheet = list(book["data"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert header[:3] == ["unit", "indicator", "period"] and "licence" in header
    assert len(sheet) - 1 == len(rows) == 18  # 6 units × 3 years
    assert {str(r[header.index("unit")]) for r in sheet[1:]} == {"0", "46", "03", "4601", "4602", "0301"}
    about = {row[0]: row[1] for row in book["om"].iter_rows(values_only=True)}
    assert about["Side"].endswith("/indikatorer/test/T-A/")


def test_the_json_stat_reads_with_pyjstat(client, world):
    pyjstat = pytest.importorskip("pyjstat.pyjstat")
    document = json.loads(client.get("/indikatorer/test/T-A/data.json").content)
    assert document["version"] == "2.0" and document["class"] == "dataset"
    assert document["dimension"]["Region"]["category"]["label"]["4601"] == "Bergen"
    frame = pyjstat.Dataset.read(json.dumps(document)).write("dataframe", naming="id")
    values = frame.dropna(subset=["value"])
    bergen_2025 = values[(values["Region"] == "4601") & (values["Tid"] == "2025")]
    assert list(bergen_2025["value"]) == [17446.5]


def test_a_year_chosen_with_ar_shows_that_year_and_the_downloads_follow(client, world):
    html = client.get("/enheter/4601/").content.decode()
    assert 'href="/enheter/4601/?ar=2023"' in html  # the years offered come from the data
    html = client.get("/enheter/4601/?ar=2023").content.decode()
    assert re.search(r"17\s445,5", html) and 'aria-current="page">2023<' in html
    assert 'href="/enheter/4601/data.csv?ar=2023"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/enheter/4601/data.csv?ar=2023").content.decode("utf-8-sig"))))
    assert {r["period"] for r in rows if r["indicator"] == "test/T-A"} == {"2023"}
    html = client.get("/indikatorer/test/T-A/?ar=2024").content.decode()
    map_rows = spec_of(html, "municipality-map")
    assert "2024" in json.dumps(map_rows)
    assert client.get("/enheter/4601/?ar=1999").status_code == 200  # a year without data: the score run's values


EMBEDS = ["/embed/kart/indeks/", "/embed/kart/mal/3/", "/embed/kart/enhet/4601/", "/embed/kart/test/T-A/kommuner/",
          "/embed/kart/test/T-A/fylker/", "/embed/graf/4601/test/T-A/", "/embed/graf/0/test/T-A/",
          "/embed/sammenlign/test/T-A/?enheter=4601,4602"]


@pytest.mark.parametrize("url", EMBEDS)
def test_embed_pages_may_be_framed_by_other_sites(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert 'class="dg-header"' not in html and "dg-figure" in html and "Se hele siden" in html
    assert 'role="img"' in html and "<table" in html  # alt text and the table alternative


def test_embed_ancestors_come_from_the_setting(client, world, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://kommune.example", "https://avis.example"]
    policy = client.get("/embed/kart/indeks/")["Content-Security-Policy"]
    assert "frame-ancestors https://kommune.example https://avis.example" in policy


@pytest.mark.parametrize("url", ["/", "/enheter/4601/", "/indikatorer/test/T-A/", "/mal/3/", "/logg-inn/"])
def test_every_other_page_refuses_to_be_framed(client, world, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_unknown_embeds_are_404(client, world):
    for url in ("/embed/kart/mal/18/", "/embed/kart/test/NOPE/kommuner/", "/embed/kart/test/T-A/bydeler/",
                "/embed/graf/9999/test/T-A/", "/embed/kart/enhet/9999/"):
        assert client.get(url).status_code == 404, url


def test_each_figure_offers_an_iframe_snippet_of_its_embed_page(client, world):
    html = client.get("/indikatorer/test/T-A/").content.decode()
    snippets = re.findall(r'<textarea id="([\w-]+)-embed"[^>]*>(.*?)</textarea>', html, re.S)
    ids = {fid for fid, _s in snippets}
    assert {"municipality-map", "county-map", "national-series"} <= ids
    snippet = dict(snippets)["municipality-map"]
    assert "&lt;iframe src=&quot;http://testserver/embed/kart/test/T-A/kommuner/&quot;" in snippet
    assert "title=&quot;" in snippet
    embed = client.get("/embed/kart/test/T-A/kommuner/").content.decode()
    assert spec_of(embed, "embed-map")["layer"] == spec_of(html, "municipality-map")["layer"]
    html = client.get("/enheter/4601/").content.decode()
    assert "/embed/graf/4601/test/T-A/" in html and "/embed/kart/enhet/4601/" in html and "Bygg inn" in html


def test_published_reports_download_without_login_and_unfinished_ones_do_not(client, world):
    from tests.factories import round_national

    from dugnad.env import data_dir
    from dugnad.portal.snapshot import forget_snapshot
    from dugnad.publications.models import Publication

    folder = data_dir() / "publications"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vlr-4601-test.pdf").write_bytes(b"%PDF-1.7 test")
    round_ = round_national(world)
    done = Publication.objects.create(kind="vlr", round=round_, unit=world.units["4601"], state="done", version=1,
                                      file_path="publications/vlr-4601-test.pdf", finished_at="2026-12-01T10:00:00Z")
    queued = Publication.objects.create(kind="vlr", round=round_, unit=world.units["4601"], state="queued", version=2,
                                        file_path="publications/vlr-4601-test.pdf")
    forget_snapshot()
    html = client.get("/enheter/4601/").content.decode()
    assert f'href="/rapporter/{done.pk}/last-ned/"' in html  # the portal links it for everyone
    response = client.get(f"/rapporter/{done.pk}/last-ned/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    unfinished = client.get(f"/rapporter/{queued.pk}/last-ned/")
    assert unfinished.status_code == 302 and "/logg-inn/" in unfinished["Location"]
    assert client.post(f"/rapporter/{done.pk}/last-ned/").status_code == 405


def test_the_embed_snippet_names_the_host_asked_even_when_the_page_came_from_the_cache(client, world, settings):
    """The page cache is keyed by host as well as path: a page first cached for one host must not hand its
    snippet (an absolute address) to a visitor of another."""
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["testserver", "dugnad.example.no", "kopi.example.no"]
    cache.clear()
    for url in ("/indikatorer/test/T-A/", "/embed/kart/test/T-A/kommuner/"):
        first = client.get(url, HTTP_HOST="dugnad.example.no").content.decode()
        second = client.get(url, HTTP_HOST="kopi.example.no").content.decode()
        assert "dugnad.example.no" in first and "kopi.example.no" not in first, url
        assert "kopi.example.no" in second and "dugnad.example.no" not in second, url
    html = client.get("/indikatorer/test/T-A/", HTTP_HOST="kopi.example.no").content.decode()
    assert "src=&quot;http://kopi.example.no/embed/kart/test/T-A/kommuner/&quot;" in html
    assert 'href="/embed/kart/test/T-A/kommuner/"' in html  # the embed page itself, linked from the «Bygg inn» box


def test_with_a_public_address_snippets_links_back_and_downloads_name_it_not_the_host_asked(client, world, settings):
    """DUGNAD_PUBLIC_URL: behind a proxy (or in a static export) the host of the request is not the public one."""
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["testserver", "intern.local"]
    settings.PUBLIC_URL = "https://dugnad.example.no"
    cache.clear()
    html = client.get("/indikatorer/test/T-A/", HTTP_HOST="intern.local").content.decode()
    assert "src=&quot;https://dugnad.example.no/embed/kart/test/T-A/kommuner/&quot;" in html
    assert "intern.local" not in html
    embed = client.get("/embed/kart/test/T-A/kommuner/", HTTP_HOST="intern.local").content.decode()
    assert 'href="https://dugnad.example.no/indikatorer/test/T-A/" target="_top"' in embed
    data = client.get("/indikatorer/test/T-A/data.json", HTTP_HOST="intern.local").content.decode()
    assert "https://dugnad.example.no/indikatorer/test/T-A/" in data and "intern.local" not in data


@pytest.mark.parametrize("value", ["dugnad.example.no", "https://dugnad.example.no/portal", "ftp://x.no",
                                   "https://x.no/?a=1"])
def test_a_public_address_that_is_not_one_stops_the_start_naming_the_setting(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from dugnad.config import settings as config

    monkeypatch.setenv("DUGNAD_PUBLIC_URL", value)
    with pytest.raises(ImproperlyConfigured, match="DUGNAD_PUBLIC_URL must be an address like"):
        config._public_url()
    monkeypatch.setenv("DUGNAD_PUBLIC_URL", "https://dugnad.example.no/")
    assert config._public_url() == "https://dugnad.example.no"


@pytest.mark.parametrize(("lang", "words"), [("nb", "Ingen poengberegning for 2023"),
                                              ("nn", "Inga poengutrekning for 2023"),
                                              ("en", "No scores calculated for 2023")])
def test_a_year_without_a_score_run_says_so_instead_of_missing_data(client, world, settings, lang, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = client.get("/indikatorer/test/T-A/?ar=2023").content.decode()
    ranking = html[html.index('id="ranking-caption"'):]
    ranking = ranking[:ranking.index("</table>")]
    assert ranking.count(words) == 3 and "dg-status--grey" not in ranking  # the three municipalities
    status = client.get("/enheter/4601/?ar=2023").content.decode()
    line = status[status.index('id="ind-3-1"'):]
    line = line[:line.index("</dl>")]
    assert words in line and "Mangler data" not in line and "Information unavailable" not in line
    scored_year = client.get("/enheter/4601/").content.decode()
    assert "Ingen poengberegning" not in scored_year and "Inga poengutrekning" not in scored_year


def test_the_compare_page_without_a_choice_shows_its_example_with_downloads_and_embeds(client, world):
    from dugnad.portal.selectors import default_comparison, portal_snapshot

    units, keys = default_comparison(portal_snapshot())
    assert units[0] == "0" and len(units) >= 2 and keys
    html = client.get("/sammenlign/").content.decode()
    assert "Eksempel" in html and 'id="compare-caption"' in html
    assert 'href="/sammenlign/data.csv"' in html and 'href="/embed/sammenlign/test/T-A/"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/sammenlign/data.csv").content.decode("utf-8-sig"))))
    assert {r["unit"] for r in rows} <= set(units) and rows
    embed = client.get("/embed/sammenlign/test/T-A/").content.decode()
    assert 'href="http://testserver/sammenlign/"' in embed
    chosen = client.get("/sammenlign/?enheter=4601").content.decode()
    assert "Eksempel" not in chosen and "Resultat" in chosen


def _previous_render(download, fmt: str, url: str) -> bytes:
    """How the downloads were written before the static site's speed work (openpyxl read back and saved again for
    the «om» sheet; JSON-stat written, read and written again): the reference the faster path must match."""
    import tempfile
    from pathlib import Path

    from openpyxl import load_workbook as load

    from dugnad.analytics.formats import registry
    from dugnad.portal.downloads import DEMO_NOTE, FORMATS

    def written(table, name, **options):
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / f"data.{FORMATS[name][1]}"
            registry.write_table(table, target, format=FORMATS[name][0], **options)
            return target.read_bytes()

    sources = sorted({r["source"] for r in download.rows if r["source"]})
    licences = sorted({r["licence"] for r in download.rows if r["licence"]})
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("data")
        from dugnad.analytics.formats.table import conform_table, dimension_columns

        table = conform_table(download.table())  # what write_table gave the previous XlsxWriter
        header = ["unit", "indicator", "period", *dimension_columns(table), "value", "status"]
        sheet.append(header)
        for row in zip(*(table.column(c).to_pylist() for c in header), strict=True):
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        book = load(io.BytesIO(buffer.getvalue()))
        about = book.create_sheet("om")
        for row in (("Tittel", download.title), ("Side", url), ("Kilde", "; ".join(sources)),
                    ("Lisens", "; ".join(licences)), ("Merknad", DEMO_NOTE if download.demo else "")):
            about.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    document = json.loads(written(download.table(extra=False), "json", label=download.title,
                                  source="; ".join(sources) or "Dugnad"))
    names = {"Region": {r["unit"]: r["unit_name"] for r in download.rows},
             "ContentsCode": {r["indicator"]: r["indicator_name"] for r in download.rows}}
    for dim, labels in names.items():
        category = document.get("dimension", {}).get(dim, {}).get("category")
        if category is not None:
            category["label"] = {code: labels.get(code, code) for code in category.get("index", {})}
    notes = [f"Lisens: {'; '.join(licences)}"] if licences else []
    if download.demo:
        notes.insert(0, DEMO_NOTE)
    if notes:
        document["note"] = notes
    if url:
        document["href"] = url
    document["extension"] = {"demo": download.demo, "licence": licences, "source": sources}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_downloads_hold_what_the_previous_writers_wrote(world, lang):
    from dugnad.observations.models import Observation
    from dugnad.portal import downloads
    from dugnad.portal.snapshot import forget_snapshot, portal_snapshot

    Observation.objects.filter(unit__code="4602").update(import_run=ImportRun.objects.create(source="demo", is_demo=True))
    forget_snapshot()
    snap = portal_snapshot()
    url = "http://testserver/enheter/4601/"
    for data in (downloads.unit_data(snap, "4601", lang), downloads.indicator_data(snap, "test/T-A", lang),
                 downloads.goal_data(snap, 3, lang), downloads.front_data(snap, lang)):
        assert downloads.render(data, "json", url=url) == _previous_render(data, "json", url)  # the same bytes
        now = load_workbook(io.BytesIO(downloads.render(data, "xlsx", url=url)))
        before = load_workbook(io.BytesIO(_previous_render(data, "xlsx", url)))
        assert now.sheetnames == before.sheetnames == ["data", "om"]
        for name in now.sheetnames:
            assert ([[c.value for c in row] for row in now[name].iter_rows()]
                    == [[c.value for c in row] for row in before[name].iter_rows()]), (data.title, name)
