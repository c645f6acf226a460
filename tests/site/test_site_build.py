"""``dugnad site build`` from a small world: every page, relative links only, and rebuilds that write only what changed."""

from __future__ import annotations

import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from dugnad.observations.models import Observation
from dugnad.portal.snapshot import forget_snapshot
from dugnad.site.build import MANIFEST, site_build
from tests.factories import GoalFactory
from tests.web.test_portal_pages import scored  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "data-vendor") and value is not None:
                self.links.append((tag, name, value))


@pytest.fixture
def world(scored):  # noqa: F811
    """The scored portal world with all 17 goals (the pages link to every goal)."""
    for number in range(1, 18):
        GoalFactory(number=number)
    forget_snapshot()
    return scored


def _links(path: Path) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def _files(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file() and p.name != MANIFEST}


def test_the_site_has_every_page_in_every_language_with_relative_links_only(world, tmp_path):
    result = site_build(tmp_path, jobs=1)
    assert (result.failed, result.missing) == ([], [])
    expected = ["index.html", "static/web/dugnad.css", "static/web/charts.js", "static/web/vendor/vega/vega.min.js",
                "static/site/site.js", "static/site/2024.topo.js"]
    for lang in ("nb", "nn", "en"):
        expected += [f"{lang}/{page}" for page in (
            "index.html", "enheter/index.html", "enheter/0/index.html", "enheter/46/index.html", "enheter/4601/index.html",
            "enheter/4602/index.html", "enheter/0301/index.html", "enheter/4601/data.csv", "mal/index.html", "mal/3/index.html",
            "indikatorer/index.html", "indikatorer/test/T-A/index.html", "indikatorer/test/T-A/niva-fylke.html",
            # the compare page's example with its downloads, and the embed pages of the maps and charts it links
            "sammenlign/index.html", "sammenlign/data.csv", "sammenlign/data.xlsx", "sammenlign/data.json",
            "embed/sammenlign/test/T-A/index.html", "embed/kart/indeks/index.html", "embed/kart/mal/3/index.html",
            "embed/kart/enhet/4601/index.html", "embed/kart/test/T-A/kommuner/index.html",
            "embed/kart/test/T-A/fylker/index.html", "embed/fordeling/test/T-A/index.html",
            "embed/graf/0/test/T-A/index.html")]
    missing = [name for name in expected if not (tmp_path / name).is_file()]
    assert missing == []
    assert not (tmp_path / "nb/embed/graf/4601").exists(), "a unit page's own charts stay on the live site"
    assert result.pages >= 3 * 30 and result.pages == len(json.loads((tmp_path / MANIFEST).read_text())["pages"])

    problems = []
    pages = sorted(tmp_path.rglob("*.html"))
    for page in pages:
        for tag, name, value in _links(page):
            if value.startswith(("/", "http://127", "http://testserver", "http://localhost")):
                problems.append(f"{page.relative_to(tmp_path)}: <{tag} {name}={value!r}>")
            elif not value.startswith(("#", "http://", "https://", "mailto:", "data:")):
                target = (page.parent / unquote(urlsplit(value).path)).resolve()
                if not target.exists():
                    problems.append(f"{page.relative_to(tmp_path)}: <{tag} {name}={value!r}> leads nowhere")
    assert problems == []
    bergen = (tmp_path / "nn/enheter/4601/index.html").read_text(encoding="utf-8")
    assert 'lang="nn"' in bergen and "Bergen" in bergen and "csrf" not in bergen.lower()
    assert 'href="../../../en/enheter/4601/index.html"' in bergen, "the language buttons lead to the same page"
    assert "logg-inn" not in bergen, "no link to sign in without --base-url"
    assert 'href="../../embed/kart/enhet/4601/index.html"' in bergen and "iframe" not in bergen
    embed = (tmp_path / "nb/embed/kart/enhet/4601/index.html").read_text(encoding="utf-8")
    assert 'href="../../../../enheter/4601/index.html"' in embed, "the embed page links back to its page"

    # the downloads name no address without DUGNAD_PUBLIC_URL (the build's requests go to «testserver»)
    downloads = sorted(tmp_path.rglob("data.json")) + sorted(tmp_path.rglob("data.xlsx"))
    assert len(downloads) >= 2 * 3 * 5
    named = [str(p.relative_to(tmp_path)) for p in downloads if b"testserver" in _unpacked(p)]
    assert named == []
    sheet = _unpacked(tmp_path / "nb/enheter/4601/data.xlsx")
    assert b"Side" in sheet and b"Bergen" in sheet, "the «om» sheet is still there, its page row empty"
    assert "href" not in json.loads((tmp_path / "nb/enheter/4601/data.json").read_text(encoding="utf-8"))


def _unpacked(path: Path) -> bytes:
    """A download's bytes, an XLSX's XML parts unzipped."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as package:
        return b"".join(package.read(name) for name in package.namelist())


def test_a_download_names_the_public_address_in_an_export_with_one(rf, settings):
    from dugnad.web.public_address import STATIC_EXPORT, download_url

    exported = rf.get("/enheter/4601/data.json", **{STATIC_EXPORT: True})
    assert download_url("/enheter/4601/", exported) == ""
    assert download_url("/enheter/4601/", rf.get("/enheter/4601/data.json")) == "http://testserver/enheter/4601/"
    settings.PUBLIC_URL = "https://dugnad.example.no"
    assert download_url("/enheter/4601/", exported) == "https://dugnad.example.no/enheter/4601/"


def test_a_rebuild_writes_only_the_pages_one_changed_observation_affects(world, tmp_path):
    site_build(tmp_path, jobs=1)
    before = _files(tmp_path)
    again = site_build(tmp_path, jobs=1)
    assert (again.written, again.rendered, again.failed) == (0, 0, [])
    assert again.unchanged == len(before) and _files(tmp_path) == before

    current = Observation.objects.get(unit=world.units["4602"], indicator=world.indicators[0], period="2025",
                                      is_current=True)
    Observation.objects.filter(pk=current.pk).update(is_current=False)
    Observation.objects.create(unit=current.unit, indicator=current.indicator, period="2025", value=13.0,
                               status="ok", revision=2)
    forget_snapshot()
    changed = site_build(tmp_path, jobs=1)
    after = _files(tmp_path)
    rewritten = sorted(name for name, mtime in after.items() if before.get(name) != mtime)
    # the unit's page and its downloads beside it (data.csv, data.xlsx, data.json when the portal offers them)
    assert {name.rsplit("/", 1)[0] for name in rewritten} == {"en/enheter/4602", "nb/enheter/4602", "nn/enheter/4602"}
    assert {"en/enheter/4602/index.html", "nb/enheter/4602/index.html", "nn/enheter/4602/index.html"} <= set(rewritten)
    assert changed.written == len(rewritten) and changed.rendered == len(rewritten)
    assert changed.unchanged == len(before) - len(rewritten)
    assert '"period": "2025", "value": 13.0}' in (tmp_path / "nb/enheter/4602/index.html").read_text(encoding="utf-8")


def test_a_base_url_points_server_links_at_the_live_site_and_one_language_is_one_tree(world, tmp_path):
    result = site_build(tmp_path, languages=("en",), base_url="https://dugnad.example.no")
    assert (result.failed, result.missing) == ([], []) and not (tmp_path / "nb").exists()
    assert 'url=en/index.html' in (tmp_path / "index.html").read_text()
    page = (tmp_path / "en/enheter/4601/index.html").read_text(encoding="utf-8")
    assert 'href="https://dugnad.example.no/logg-inn/"' in page
    assert 'href="https://dugnad.example.no/sammenlign/?enheter=4601,46"' in page, "the compare tool stays live"
