"""``dugnad sync ssb`` end to end: loopback SSB server → tidy table → transform → observation store."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from tests.factories import IndicatorFactory, LevelFactory, UnitFactory
from tests.imports.connectors.ssbserver import FakeClock, FakeSsb, LoopbackServer, small_table
from typer.testing import CliRunner

from dugnad.cli.main import app
from dugnad.imports.connectors.mapping import mapping_load
from dugnad.imports.connectors.pxweb import PxWebClient, Transport
from dugnad.imports.connectors.ratelimit import RateLimiter
from dugnad.imports.sync import SyncStatus, ssb_sync
from dugnad.observations.models import ImportRun, Observation
from dugnad.observations.vocab import RunStatus

# Test figures shaped like SSB 07459 (population 1 January) and a KOSTRA kindergarten table.
POPULATION = {  # region → (2023, 2024)
    "0": (5488984, 5550203), "0301": (709037, 717710), "4601": (289330, 291940), "2111": (None, None),
}
KINDERGARTENS = {"EAK": (5500, 5400), "0301": (650, 640), "4601": (260, 255)}

MAPPING = """
    defaults:
      years: from(2023)
    indicators:
      befolkning:
        table: "07459"
        contents: Personer1
        region_variable: Region
      barnehager_per_1000:
        table: "12562"
        contents: KOSbarnehager0000
        region_variable: KOKkommuneregion0000
        transform:
          per_1000: {table: "07459", contents: Personer1, region_variable: Region}
"""


def _fake() -> FakeSsb:
    years = {"2023": "2023", "2024": "2024"}
    population_values = [v for region in POPULATION.values() for v in region]
    population_status = {str(i): "." for i, v in enumerate(population_values) if v is None}
    pop_meta, pop_data = small_table(
        "07459", label="07459: Befolkning", updated="2024-02-21T07:00:00Z", status=population_status,
        dims=[("Region", {"0": "Hele landet", "0301": "Oslo", "4601": "Bergen", "2111": "Svalbard"}),
              ("ContentsCode", {"Personer1": "Personer"}), ("Tid", years)],
        values=population_values)
    kg_meta, kg_data = small_table(
        "12562", label="12562: Barnehager (K)", updated="2024-06-15T06:00:00Z",
        dims=[("KOKkommuneregion0000", {"EAK": "Landet", "0301": "Oslo", "4601": "Bergen"}),
              ("ContentsCode", {"KOSbarnehager0000": "Barnehager"}), ("Tid", years)],
        values=[v for region in KINDERGARTENS.values() for v in region])
    return FakeSsb(metadata={"07459": pop_meta, "12562": kg_meta}, datasets={"07459": pop_data, "12562": kg_data})


@pytest.fixture
def fake():
    return _fake()


@pytest.fixture
def server(fake):
    with LoopbackServer(fake) as running:
        yield running


@pytest.fixture
def client(server):
    clock = FakeClock()
    return PxWebClient(server.url, transport=Transport(limiter=RateLimiter(clock=clock, sleep=clock.sleep)))


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "ssb-mapping.yaml"
    path.write_text(textwrap.dedent(MAPPING), encoding="utf-8")
    return mapping_load(path)


@pytest.fixture
def registry(db):
    country, municipality = LevelFactory(code="country"), LevelFactory(code="municipality")
    UnitFactory(code="0", name="Norge", level=country, valid_from=dt.date(1838, 1, 1))
    for code, name in (("0301", "Oslo"), ("4601", "Bergen")):
        UnitFactory(code=code, name=name, level=municipality, valid_from=dt.date(2020, 1, 1))
    IndicatorFactory(code="befolkning")
    IndicatorFactory(code="barnehager_per_1000")


def current(indicator: str) -> dict[tuple[str, str], float | None]:
    rows = Observation.objects.current().filter(indicator__code=indicator).values_list("unit__code", "period", "value")
    return {(unit, period): value for unit, period, value in rows}


def test_sync_stores_every_mapped_indicator_with_provenance(registry, mapping, client, server):
    result = ssb_sync(mapping=mapping, client=client)
    assert [(i.key, i.status) for i in result.items] == [("befolkning", SyncStatus.IMPORTED),
                                                         ("barnehager_per_1000", SyncStatus.IMPORTED)]
    assert current("befolkning") == {
        ("0", "2023"): 5488984, ("0", "2024"): 5550203, ("0301", "2023"): 709037, ("0301", "2024"): 717710,
        ("4601", "2023"): 289330, ("4601", "2024"): 291940,
    }
    per_1000 = current("barnehager_per_1000")
    assert per_1000[("0301", "2024")] == pytest.approx(640 / 717710 * 1000)
    assert per_1000[("0", "2023")] == pytest.approx(5500 / 5488984 * 1000)  # EAK is the whole country
    assert len(per_1000) == 6
    run = ImportRun.objects.get(provenance__indicator="befolkning")
    assert (run.kind, run.status) == ("ssb", RunStatus.OK)
    assert run.provenance["table"] == "07459"
    assert run.provenance["updated"] == "2024-02-21T07:00:00Z"
    assert run.provenance["url"].startswith(f"{server.url}/tables/07459/data?")
    assert "valueCodes%5BTid%5D=2023%2C2024" in run.provenance["url"]
    assert dt.datetime.fromisoformat(run.provenance["retrieved_at"]).tzinfo is not None
    assert "2111" in run.report["problems"][0]["reason"]  # Svalbard is not in the registry: skipped, warned
    kg_run = ImportRun.objects.get(provenance__indicator="barnehager_per_1000")
    assert kg_run.provenance["denominator"]["table"] == "07459"
    assert kg_run.provenance["transform"]["name"] == "per_1000"


def test_rerunning_an_unchanged_source_changes_nothing(registry, mapping, client):
    ssb_sync(mapping=mapping, client=client)
    before = list(Observation.objects.values_list("id", "value", "revision", "is_current"))
    again = ssb_sync(mapping=mapping, client=client)
    assert [i.status for i in again.items] == [SyncStatus.UNCHANGED, SyncStatus.UNCHANGED]
    assert list(Observation.objects.values_list("id", "value", "revision", "is_current")) == before
    assert ImportRun.objects.filter(status=RunStatus.NOOP).count() == 2


def test_a_revised_figure_becomes_a_revision(registry, mapping, client, fake):
    ssb_sync(mapping=mapping, client=client)
    fake.set_value("07459", 3, 717800)  # Oslo 2024 revised (Region 0301 × Tid 2024 = flat index 3)
    result = ssb_sync(mapping=mapping, client=client)
    population = result.items[0].result
    assert (population.rows_revised, population.rows_inserted) == (1, 0)
    oslo = Observation.objects.filter(indicator__code="befolkning", unit__code="0301", period="2024")
    assert list(oslo.order_by("revision").values_list("value", "revision", "is_current")) == [
        (717710, 1, False), (717800, 2, True)]
    assert result.items[0].result.run.provenance["updated"] == "2027-01-01T08:00:00Z"
    # the per-1000 indicator used the revised population as its denominator
    assert result.items[1].result.rows_revised == 1
    assert current("barnehager_per_1000")[("0301", "2024")] == pytest.approx(640 / 717800 * 1000)


def test_since_skips_tables_not_updated(registry, mapping, client, fake):
    result = ssb_sync(mapping=mapping, client=client, since=dt.date(2024, 3, 1))
    assert [i.status for i in result.items] == [SyncStatus.SKIPPED, SyncStatus.IMPORTED]
    assert "not updated since 2024-03-01" in result.items[0].message
    assert not current("befolkning")
    assert fake.data_requests()  # the kindergarten table (updated 2024-06-15) and its denominator were fetched
    assert {r["path"] for r in fake.data_requests()} == {"/tables/12562/data", "/tables/07459/data"}


def test_dry_run_writes_nothing(registry, mapping, client):
    result = ssb_sync(mapping=mapping, client=client, dry_run=True)
    assert [i.status for i in result.items] == [SyncStatus.CHECKED, SyncStatus.CHECKED]
    assert result.items[0].result.rows_inserted == 6
    assert not Observation.objects.exists() and not ImportRun.objects.exists()


def test_a_failing_indicator_is_reported_and_the_others_still_sync(registry, tmp_path, client):
    path = tmp_path / "m.yaml"
    path.write_text(textwrap.dedent("""
        indicators:
          befolkning: {table: "07459", contents: Personer1, years: "*"}
          borte: {table: "99999", contents: X}
          feil_verdi: {table: "07459", contents: Personer9}
    """), encoding="utf-8")
    result = ssb_sync(mapping=mapping_load(path), client=client)
    assert [i.status for i in result.items] == [SyncStatus.IMPORTED, SyncStatus.FAILED, SyncStatus.FAILED]
    assert result.items[1].message == (
        "borte: SSB-tabell 99999: tabellen finnes ikke / the table does not exist [Non-existent table, HTTP 404]")
    assert "verdien 'Personer9' finnes ikke i variabelen ContentsCode" in result.items[2].message
    assert not result.ok


def test_unknown_unit_with_unknown_units_error_rejects_the_indicator(registry, tmp_path, client):
    path = tmp_path / "m.yaml"
    path.write_text('indicators:\n  befolkning: {table: "07459", contents: Personer1, unknown_units: error}\n',
                    encoding="utf-8")
    result = ssb_sync(mapping=mapping_load(path), client=client)
    assert result.items[0].status == SyncStatus.FAILED
    assert "2111" in result.items[0].message and "unknown unit code" in result.items[0].message
    assert not Observation.objects.exists()


def test_cli_sync_ssb(registry, tmp_path, server, monkeypatch):
    monkeypatch.setenv("DUGNAD_SSB_BASE_URL", server.url)
    monkeypatch.setenv("DUGNAD_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "m.yaml"
    path.write_text(textwrap.dedent(MAPPING), encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["sync", "ssb", "--config", str(path), "--format", "csv"])
    assert first.exit_code == 0, first.output
    assert "befolkning,07459,imported,6," in first.output
    second = runner.invoke(app, ["sync", "ssb", "--config", str(path), "--format", "csv"])
    assert "befolkning,07459,unchanged,6," in second.output
    third = runner.invoke(app, ["sync", "ssb", "--config", str(path), "--since", "2030-01-01", "--format", "csv"])
    assert third.exit_code == 0, third.output
    assert "befolkning,07459,skipped,0,,not updated since 2030-01-01" in third.output
    assert any((tmp_path / "data" / "cache" / "ssb" / "07459").glob("*.json"))


def test_cli_rejects_a_bad_mapping_with_located_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text('indicators:\n  befolkning: {contents: Personer1, transform: cube}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["sync", "ssb", "--config", str(path)])
    assert result.exit_code == 1
    assert "at indicators.befolkning.table: missing" in result.output
    assert "at indicators.befolkning.transform: unknown transform" in result.output


def test_cli_ssb_table_lists_variables(tmp_path, server, monkeypatch):
    monkeypatch.setenv("DUGNAD_SSB_BASE_URL", server.url)
    result = CliRunner().invoke(app, ["sync", "ssb-table", "07459", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Region,region,,no,4,\"0=Hele landet, 0301=Oslo, 4601=Bergen, 2111=Svalbard\"," in result.output
    assert "Tid,tid,time,no,2" in result.output
