"""Reading the KS SDG taxonomy: counts, duplicates, UN codes and located errors (no database)."""

from __future__ import annotations

import csv
import http.server
import shutil
import threading
from collections import Counter

import pytest

from dugnad.analytics.report import InputError
from dugnad.catalogue.taxonomy import read_taxonomy, slugify_code, taxonomy_files
from tests.conftest import shared_path

TAXONOMY = "no/ks-sdg-taxonomy"


@pytest.fixture(scope="module")
def taxonomy():
    return read_taxonomy(shared_path(TAXONOMY))


def test_the_taxonomy_has_2092_indicators_and_459_norwegian_measuring_points(taxonomy):
    per_scheme = {s.name: len(s.indicators) for s in taxonomy.schemes}
    assert taxonomy.indicator_count == 2092
    assert per_scheme["De norske målepunktene"] == 459
    assert per_scheme["UN SDG indicators"] == 248


def test_indicator_uris_match_the_flattened_reference_csv(taxonomy):
    with shared_path("no/derived/ks_sdg_taxonomy_indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = Counter(r["scheme"] for r in rows)
    ours = {i.uri for s in taxonomy.schemes for i in s.indicators}
    assert ours == {r["indicator_uri"] for r in rows}
    by_slug = {s.slug: len(s.indicators) for s in taxonomy.schemes}
    assert sum(by_slug.values()) == sum(expected.values())
    assert by_slug[slugify_code("De-norske-målepunktene")] == expected["De-norske-målepunktene"]


def test_duplicate_copies_are_skipped_in_a_directory():
    names = [p.name for p in taxonomy_files(shared_path(TAXONOMY))]
    assert "UN-SDG-indicators.ttl" in names
    assert not any("__" in n for n in names)


def test_a_scheme_met_twice_is_read_once(tmp_path):
    source = shared_path(TAXONOMY)
    shutil.copy(source / "U4SSC.ttl", tmp_path / "U4SSC.ttl")
    shutil.copy(source / "U4SSC.ttl", tmp_path / "U4SSC-copy.ttl")
    taxonomy = read_taxonomy(tmp_path)
    assert [len(s.indicators) for s in taxonomy.schemes] == [111]
    assert any("already read" in str(p) for p in taxonomy.report.warnings)


def test_un_indicators_are_addressable_by_official_code(taxonomy):
    un = next(s for s in taxonomy.schemes if s.slug == "un-sdg-indicators")
    by_code = {i.code: i for i in un.indicators}
    assert len(by_code) == 248
    assert by_code["3.2.1"].targets == ("3.2",)
    assert by_code["3.2.1"].goals == (3,)
    assert by_code["3.2.1"].name_en == "Under‑5 mortality rate"
    # the taxonomy links 3.2.2 to target 3.3 by mistake; the official code decides
    assert by_code["3.2.2"].targets == ("3.2",)
    assert by_code["3.2.2"].metadata["taxonomy_targets"] == ["3.3"]
    assert {"1.b.1", "11.c.1"} <= by_code.keys()


def test_the_un_scheme_covers_all_169_targets(taxonomy):
    un = next(s for s in taxonomy.schemes if s.slug == "un-sdg-indicators")
    assert len({t for i in un.indicators for t in i.targets}) == 169


def test_norwegian_titles_tagged_english_are_read_as_norwegian(taxonomy):
    scheme = next(s for s in taxonomy.schemes if s.slug == "de-norske-malepunktene")
    first = next(i for i in scheme.indicators if i.uri.endswith("/2261"))
    assert first.name_nb == "Antall bostedsløse"
    assert first.name_en == ""
    assert first.goals == (11,) and first.targets == ("11.1",)
    assert first.metadata["quality"] == ["Class_1"]
    assert first.metadata["level"] == ["National-level"]


def test_malformed_turtle_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "Broken.ttl"
    bad.write_text('@prefix a: <http://x/> .\na:b a:c a:d .\na:e a:f "unterminated .\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_taxonomy(tmp_path)
    problem = error.value.report.errors[0]
    assert problem.file == "Broken.ttl"
    assert problem.row == 3
    assert "line 3" in problem.reason


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_taxonomy(tmp_path / "nowhere")


def test_a_url_is_fetched_over_http(tmp_path):
    shutil.copy(shared_path(TAXONOMY) / "Boligsosial-monitor.ttl", tmp_path / "b.ttl")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        taxonomy = read_taxonomy(f"http://127.0.0.1:{server.server_port}/b.ttl")
    finally:
        server.shutdown()
    assert [s.name for s in taxonomy.schemes] == ["Boligsosial monitor"]
    assert len(taxonomy.schemes[0].indicators) == 9


def test_an_alternate_copy_read_on_its_own_gives_the_same_indicators(taxonomy):
    copy = read_taxonomy(shared_path(TAXONOMY) / "U4SSC__U4SSC.ttl")
    main = next(s for s in taxonomy.schemes if s.slug == "u4ssc")
    assert [(i.code, i.name_en) for i in copy.schemes[0].indicators] == [(i.code, i.name_en) for i in main.indicators]
