"""The one rule for a value's provenance: demo, real (source and licence) or entered by the unit."""

from __future__ import annotations

import pytest

from dugnad.observations.models import ImportRun
from dugnad.observations.provenance import (
    Provenance,
    banner_text,
    mix_of,
    provenance_from,
    provenance_of,
    provenances,
)
from dugnad.observations.selectors import data_mix

TELEMARK = {"name": "Statistisk sentralbyrå (SSB), tabell 06913", "url": "https://www.ssb.no/statbank/table/06913",
            "licence": "CC BY 4.0", "attribution": "Kilde: SSB"}


def test_a_demo_run_is_demo_whatever_else_it_says():
    for kind, is_demo in (("demo", False), ("csv", True), ("demo", True)):
        p = provenance_from(kind, is_demo, "x", TELEMARK)
        assert p.kind == "demo" and p.is_demo
        assert p.label("nb") == p.note("nb") == "Demodata – ikke ekte tall"
        assert p.label("nn") == "Demodata – ikkje ekte tal" and p.label("en") == "Demo data – not real figures"


def test_a_real_run_names_its_source_and_licence():
    p = provenance_from("telemark", False, "loader", TELEMARK)
    assert p.kind == "real" and not p.is_demo
    assert p.label("nb") == "Kilde: Statistisk sentralbyrå (SSB), tabell 06913"
    assert p.label("nn").startswith("Kjelde: ") and p.label("en").startswith("Source: ")
    assert p.note("nb") == "Kilde: Statistisk sentralbyrå (SSB), tabell 06913 (lisens CC BY 4.0)"
    assert p.url == TELEMARK["url"]
    ssb = provenance_from("ssb", False, "https://data.ssb.no/api/pxwebapi/v2/tables/07459/data", {"table": "07459"})
    assert ssb.note("en") == "Source: Statistisk sentralbyrå (SSB), tabell 07459 (licence CC BY 4.0)"
    assert provenance_from("csv", False, "tall.csv", {}).label("nb") == "Kilde: tall.csv"


def test_a_mapping_import_and_the_telemark_snapshot_name_the_declared_source_once():
    """A mapping import keeps the mapping's ``source`` block nested; its name and licence are the value's source."""
    fhi = {"name": "FHI Kommunehelsa statistikkbank", "url": "https://statistikk.fhi.no/kh/", "licence": "NLOD 2.0",
           "attribution": "Kilde: Kommunehelsa statistikkbank, Folkehelseinstituttet"}
    mapped = provenance_from("mapping", False, "fhi_drikkevann.csv", {"mapping": "fhi_drikkevann.yaml", "source": fhi})
    loaded = provenance_from("mapping", False, "telemark_observations.csv.gz",
                             {"source": fhi, "source_name": fhi["name"], "attribution": fhi["attribution"]})
    for p in (mapped, loaded):
        assert p.note("nb") == "Kilde: FHI Kommunehelsa statistikkbank (lisens NLOD 2.0)"
        assert p.url == "https://statistikk.fhi.no/kh/"


def test_values_without_a_run_or_from_the_grid_are_entered_never_demo():
    for p in (provenance_of(None), provenance_from("web", False, "grid", {"cell": "4601/x"}),
              provenance_from("upload", False, "tall.xlsx", {"file": "tall.xlsx"})):
        assert p.kind == "entered" and not p.is_demo
        assert p.label("nb") == "Registrert av kommunen" and p.label("en") == "Entered by the municipality"
    assert provenance_from("upload", False, "f.csv", {"name": "NAV"}).kind == "real"


def test_the_mix_of_a_page_decides_its_banner():
    demo, real, entered = Provenance("demo"), Provenance("real", "SSB"), Provenance("entered")
    assert mix_of([demo, demo]) == "demo" and banner_text("demo", "nb") == "Demodata – ikke ekte tall"
    assert mix_of([demo, real]) == mix_of([demo, entered]) == "mixed"
    assert banner_text("mixed", "nb").startswith("Noen tall er demodata")
    assert banner_text("mixed", "nn").startswith("Nokre tal er demodata")
    assert mix_of([real, entered]) == "real" and banner_text("real", "nb") == ""
    assert mix_of([]) == "" and banner_text("", "en") == ""


@pytest.mark.django_db
def test_provenances_reads_all_runs_in_one_query_and_the_install_mix(django_assert_num_queries):
    assert data_mix() == ""
    demo = ImportRun.objects.create(kind="demo", source="Dugnad", is_demo=True, status="ok")
    ImportRun.objects.create(kind="web", source="grid", status="ok")
    assert data_mix() == "demo"
    real = ImportRun.objects.create(kind="telemark", source="loader", status="ok", provenance=TELEMARK)
    assert data_mix() == "mixed"
    with django_assert_num_queries(1):
        found = provenances([demo.pk, real.pk, None])
    assert found[demo.pk].is_demo and found[real.pk].licence == "CC BY 4.0" and found[None].kind == "entered"
    assert provenance_of(real) == found[real.pk]
