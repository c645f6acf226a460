"""``dugnad sync ssb`` against real recorded SSB responses served on 127.0.0.1, and the shipped example mapping.

The SSB recordings are read from ``../shared/data/no/ssb-pxweb/`` at test time (skipped when absent, failing
with ``DUGNAD_REQUIRE_SHARED=1``): the JSON-stat 2.0 answer of SSB for table 07221 (price index of
existing dwellings, 12 price regions × 3 dwelling types × 8 quarters, with ``..`` status cells) and SSB's
PxWebApi v2 error bodies. The recording is a v0 answer; v0 and v2 send the same JSON-stat 2.0 document,
so it is served unchanged at the v2 data route (sliced to the requested codes), and the v2 metadata is
that document without its values (the shape of ``/tables/{id}/metadata``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.factories import IndicatorFactory, LevelFactory, UnitFactory
from tests.imports.connectors.ssbserver import FakeClock, FakeSsb, LoopbackServer, Reply
from typer.testing import CliRunner

from dugnad.catalogue.services.catalogue import catalogue_load_snapshot
from dugnad.cli.main import app
from dugnad.imports.connectors.mapping import mapping_load
from dugnad.imports.connectors.pxweb import PxWebClient, Transport
from dugnad.imports.connectors.ratelimit import RateLimiter
from dugnad.imports.sync import SyncStatus, ssb_sync
from dugnad.observations.codes import IndicatorCodeBook
from dugnad.observations.models import ImportRun, Observation
from dugnad.observations.vocab import RunStatus

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ssb-mapping.yaml"
RESPONSE = "no/ssb-pxweb/pxwebpy/07221_v0_response_no.json"
ERRORS = "no/ssb-pxweb/kommunebarometer-spike/pxwebapi_v2_error_snippets.json"
INDICATOR = "boligprisindeks"

MAPPING = f"""
    indicators:
      {INDICATOR}:
        label: Prisindeks for brukte boliger
        table: "07221"
        contents: Boligindeks
        region_variable: Region
        filters:
          Boligtype: ["01", "02", "03"]
        years: from(2022K1)
"""


@dataclasses.dataclass
class RecordedSsb(FakeSsb):
    """The loopback state, plus a programmed answer for data requests (errors) or a hold (timeouts)."""

    data_reply: Reply | None = None
    metadata_reply: Reply | None = None
    hold: threading.Event | None = None

    def handle(self, method: str, raw_path: str, body: bytes) -> Reply:
        if self.metadata_reply is not None and urlsplit(raw_path).path.endswith("/metadata"):
            return self.metadata_reply
        if urlsplit(raw_path).path.endswith("/data"):
            if self.hold is not None:
                self.hold.wait(30)
            if self.data_reply is not None:
                self.log.append({"method": method, "path": urlsplit(raw_path).path, "query": {}, "body": None})
                return self.data_reply
        return super().handle(method, raw_path, body)


def recorded(shared) -> dict:
    """The recorded SSB 07221 JSON-stat 2.0 dataset."""
    return json.loads(shared(RESPONSE).read_text(encoding="utf-8"))


def error_bodies(shared) -> dict[str, str]:
    """SSB's recorded v2 error bodies by title."""
    doc = json.loads(shared(ERRORS).read_text(encoding="utf-8"))
    return {json.loads(e["snippet"])["title"]: e["snippet"] for e in doc["errors"]}


def cell(dataset: dict, **codes: str):
    """The recorded value of one cell, by code per dimension (row-major, categories by index)."""
    sizes = dataset["size"]
    flat = 0
    for i, dim in enumerate(dataset["id"]):
        flat += dataset["dimension"][dim]["category"]["index"][codes[dim]] * math.prod(sizes[i + 1 :])
    return dataset["value"][flat]


@pytest.fixture
def dataset(shared):
    return recorded(shared)


@pytest.fixture
def fake(dataset):
    metadata = {**{k: v for k, v in dataset.items() if k not in {"value", "status"}}, "value": []}
    return RecordedSsb(metadata={"07221": metadata}, datasets={"07221": dataset})


@pytest.fixture
def server(fake):
    with LoopbackServer(fake) as running:
        yield running
        if fake.hold is not None:
            fake.hold.set()


def make_client(url: str, *, timeout: float = 60.0) -> PxWebClient:
    clock = FakeClock()
    return PxWebClient(url, transport=Transport(limiter=RateLimiter(clock=clock, sleep=clock.sleep), timeout=timeout))


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "ssb-mapping.yaml"
    path.write_text(textwrap.dedent(MAPPING), encoding="utf-8")
    return mapping_load(path)


@pytest.fixture
def registry(db):
    UnitFactory(code="0", name="Norge", level=LevelFactory(code="country"), valid_from=dt.date(1838, 1, 1))
    UnitFactory(code="0301", name="Oslo", level=LevelFactory(code="municipality"), valid_from=dt.date(2020, 1, 1))
    IndicatorFactory(code=INDICATOR)


def stored() -> dict[tuple[str, str, str], tuple[float | None, str]]:
    rows = Observation.objects.current().filter(indicator__code=INDICATOR).values_list(
        "unit__code", "dimension_key", "period", "value", "status")
    return {(unit, key, period): (value, status) for unit, key, period, value, status in rows}


def snapshot() -> list[tuple]:
    return list(Observation.objects.order_by("id").values_list("id", "value", "status", "revision", "is_current"))


def test_sync_stores_the_real_recorded_figures_with_their_source(registry, mapping, server, dataset):
    result = ssb_sync(mapping=mapping, client=make_client(server.url))
    (item,) = result.items
    assert item.status == SyncStatus.IMPORTED, item.message
    found = stored()
    # The whole country (TOTAL, «Hele landet» → unit 0): 3 dwelling types × 8 quarters, real SSB figures.
    assert len(found) == 24
    # SSB's quarters (2022K1) are stored as Dugnad periods (2022Q1).
    assert found[("0", "Boligtype=01", "2022Q1")] == (136.2, "ok")  # detached houses, Q1 2022
    assert found[("0", "Boligtype=03", "2023Q4")] == (145.4, "ok")  # flats, Q4 2023
    for (unit, key, period), (value, _) in found.items():  # every stored figure is the recorded one
        assert unit == "0"
        assert value == cell(dataset, Region="TOTAL", Boligtype=key.removeprefix("Boligtype="),
                             ContentsCode="Boligindeks", Tid=period.replace("Q", "K"))
    # Each observation carries its source: the import run of kind ssb with the table's provenance.
    runs = {o.import_run for o in Observation.objects.select_related("import_run")}
    (run,) = runs
    assert (run.kind, run.status) == ("ssb", RunStatus.OK)
    assert run.source == f"{server.url}/tables/07221/data"
    assert run.provenance["table"] == "07221"
    assert run.provenance["updated"] == "2024-01-12T07:00:00Z"  # from the recorded response
    assert run.provenance["table_label"].startswith("07221: Prisindeks for brukte boliger")
    assert run.provenance["url"].startswith(f"{server.url}/tables/07221/data?")
    # SSB's price regions (Oslo med Bærum, Stavanger …) are not units: skipped with one warning naming them.
    (warning,) = [p for p in run.report["problems"] if "not in the unit registry" in p["reason"]]
    assert "001, 002, 003" in warning["reason"] and "011" in warning["reason"]


def test_rerun_is_a_noop_and_a_revised_recorded_figure_becomes_a_revision(registry, mapping, server, fake):
    client = make_client(server.url)
    ssb_sync(mapping=mapping, client=client)
    before = snapshot()
    again = ssb_sync(mapping=mapping, client=client)
    assert again.items[0].status == SyncStatus.UNCHANGED and snapshot() == before
    fake.set_value("07221", 0, 136.5)  # SSB revises TOTAL × detached houses × 2022K1 (flat index 0)
    revised = ssb_sync(mapping=mapping, client=client)
    assert (revised.items[0].result.rows_revised, revised.items[0].result.rows_inserted) == (1, 0)
    history = Observation.objects.filter(unit__code="0", dimension_key="Boligtype=01", period="2022Q1")
    assert list(history.order_by("revision").values_list("value", "is_current")) == [(136.2, False), (136.5, True)]


def test_price_regions_are_refused_with_unknown_units_error(registry, tmp_path, server):
    path = tmp_path / "m.yaml"
    path.write_text(textwrap.dedent(MAPPING) + "    unknown_units: error\n", encoding="utf-8")
    result = ssb_sync(mapping=mapping_load(path), client=make_client(server.url))
    assert result.items[0].status == SyncStatus.FAILED
    assert "unknown unit code" in result.items[0].message and "'001'" in result.items[0].message
    assert not Observation.objects.exists()


def _broken_replies(shared, dataset) -> dict[str, tuple[Reply, str]]:
    bodies = error_bodies(shared)
    text = json.dumps(dataset, ensure_ascii=False)
    json_type = {"Content-Type": "application/json"}
    return {
        "non-existent value": (Reply(400, bodies["Non-existent value"], json_type),
                               "SSB-tabell 07221: utvalget inneholder en verdi (kode) som ikke finnes i tabellen / "
                               "the selection contains a value code that does not exist in the table "
                               "[Non-existent value, HTTP 400]"),
        "non-existent table": (Reply(400, bodies["Non-existent table"], json_type),
                               "SSB-tabell 07221: tabellen finnes ikke / the table does not exist "
                               "[Non-existent table, HTTP 404]"),
        "server error": (Reply(500, "<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"}),
                         "SSB-tabell 07221: feil hos SSB / server error at SSB [HTTP 500]"),
        "gateway timeout": (Reply(504, "upstream timed out", {"Content-Type": "text/plain"}),
                            "SSB-tabell 07221: feil hos SSB / server error at SSB [HTTP 504]"),
        "unavailable": (Reply(503, ""), "SSB-tabell 07221: SSB-tjenesten er utilgjengelig / the SSB service is "
                                        "unavailable [HTTP 503]"),
        "truncated JSON": (Reply(200, text[: len(text) // 2], json_type),
                           "SSB-tabell 07221: svaret er ikke JSON / the response is not JSON"),
        "JSON but not a dataset": (Reply(200, json.dumps({"tables": []}), json_type),
                                   "SSB 07221, at $.id: 'id' must be a non-empty list of dimension ids"),
    }


@pytest.mark.parametrize("case", ["non-existent value", "non-existent table", "server error", "gateway timeout",
                                  "unavailable",
                                  "truncated JSON", "JSON but not a dataset"])
def test_a_bad_answer_fails_clearly_and_changes_nothing(registry, mapping, server, fake, shared, dataset, case):
    client = make_client(server.url)
    ssb_sync(mapping=mapping, client=client)
    before, runs = snapshot(), ImportRun.objects.count()
    reply, message = _broken_replies(shared, dataset)[case]
    fake.data_reply = reply
    fake.datasets["07221"]["value"][0] = 999.9  # a changed figure that must not be stored
    fake.metadata["07221"]["updated"] = fake.datasets["07221"]["updated"] = "2027-01-01T08:00:00Z"
    result = ssb_sync(mapping=mapping, client=client)
    (item,) = result.items
    assert item.status == SyncStatus.FAILED and not result.ok
    assert item.message.startswith(f"{INDICATOR}: ")
    assert message in item.message
    assert snapshot() == before and ImportRun.objects.count() == runs


@pytest.mark.parametrize(("reply", "message"), [
    (Reply(200, "{}", {"Content-Type": "application/json"}),
     "SSB-tabell 07221: variabelen 'ContentsCode' finnes ikke / no such variable"),
    (Reply(200, "<html>maintenance</html>", {"Content-Type": "text/html"}),
     "SSB-tabell 07221: svaret er ikke JSON / the response is not JSON"),
    (Reply(504, ""), "SSB-tabell 07221: feil hos SSB / server error at SSB [HTTP 504]"),
])
def test_a_bad_metadata_answer_fails_clearly_and_changes_nothing(registry, mapping, server, fake, reply, message):
    client = make_client(server.url)
    ssb_sync(mapping=mapping, client=client)
    before, runs = snapshot(), ImportRun.objects.count()
    fake.metadata_reply = reply
    result = ssb_sync(mapping=mapping, client=client)
    (item,) = result.items
    assert item.status == SyncStatus.FAILED
    assert message in item.message
    assert snapshot() == before and ImportRun.objects.count() == runs


def test_a_timeout_fails_clearly_and_changes_nothing(registry, mapping, server, fake):
    ssb_sync(mapping=mapping, client=make_client(server.url))
    before = snapshot()
    fake.hold = threading.Event()  # the server accepts data requests and never answers until the test ends
    result = ssb_sync(mapping=mapping, client=make_client(server.url, timeout=0.5))
    (item,) = result.items
    assert item.status == SyncStatus.FAILED
    assert "SSB-tabell 07221: kunne ikke nå SSB / could not reach SSB" in item.message
    assert "timed out" in item.message
    assert snapshot() == before


def test_cli_reports_a_server_error_and_exits_1(registry, tmp_path, server, fake, monkeypatch):
    monkeypatch.setenv("DUGNAD_SSB_BASE_URL", server.url)
    monkeypatch.setenv("DUGNAD_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "m.yaml"
    path.write_text(textwrap.dedent(MAPPING), encoding="utf-8")
    fake.data_reply = Reply(502, "Bad Gateway", {"Content-Type": "text/plain"})
    result = CliRunner().invoke(app, ["sync", "ssb", "--config", str(path), "--no-cache", "--format", "csv"])
    assert result.exit_code == 1, result.output
    assert f"{INDICATOR},07221,failed,0," in result.output
    assert "SSB-tabell 07221: feil hos SSB / server error at SSB [HTTP 502]" in result.output
    assert not Observation.objects.exists() and not ImportRun.objects.exists()


def test_every_key_of_the_example_mapping_names_a_catalogue_indicator(db):
    catalogue_load_snapshot()
    mapping = mapping_load(EXAMPLE)
    book = IndicatorCodeBook()
    resolved = {item.key: book.resolve(item.key) for item in mapping.indicators}
    assert {key: found.reason for key, found in resolved.items() if found.id is None} == {}
    assert len(mapping.indicators) >= 4
