"""The Klass client against recorded Klass responses on a loopback HTTP server."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dugnad.imports.connectors.klass import (
    KlassApiSource,
    KlassClient,
    KlassDirectorySource,
    KlassError,
    KlassNotFound,
    klass_source,
)
from dugnad.units.registry.builder import build_norway_registry
from tests.units.klassserver import KlassServer, recorded_routes


def test_the_client_reads_a_version_and_asks_for_json(klass_server):
    client = KlassClient(klass_server.url)
    version = client.version(1710)
    assert version["name"] == "Kommuneinndeling 2024"
    assert {i["code"] for i in version["classificationItems"]} >= {"3101", "1508", "1580"}
    _, headers = klass_server.requests[-1]
    assert headers["Accept"] == "application/json"


def test_the_client_sends_dates_for_codes_at_and_changes(klass_server):
    client = KlassClient(klass_server.url)
    codes = client.codes_at(131, dt.date(2026, 1, 1))
    assert {"code": "0301", "name": "Oslo - Oslove"}.items() <= codes["codes"][0].items()
    changes = client.changes(131, dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert len(changes["codeChanges"]) == 594
    assert klass_server.requests[-1][0].endswith("changes?from=2024-01-01&to=2025-01-01")


def test_a_404_names_the_resource_status_and_the_servers_reason(klass_server):
    client = KlassClient(klass_server.url)
    with pytest.raises(KlassNotFound) as caught:
        client.classification(99999)
    error = caught.value
    assert error.status == 404
    assert "classifications/99999" in str(error)
    assert "HTTP 404" in str(error)
    assert "Not found: /classifications/99999" in str(error)
    assert error.url.startswith(klass_server.url)


def test_an_unreachable_server_is_a_clear_error():
    client = KlassClient("http://127.0.0.1:9/api/klass/v1", timeout=2)
    with pytest.raises(KlassError, match="could not reach Klass"):
        client.classification(131)


def test_the_base_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DUGNAD_KLASS_BASE_URL", "http://127.0.0.1:1/klass/")
    assert KlassClient().base_url == "http://127.0.0.1:1/klass"
    assert isinstance(klass_source(), KlassApiSource)


def test_a_directory_source_finds_saved_responses_by_content_and_name(klass_dir):
    source = klass_source(str(klass_dir))
    assert isinstance(source, KlassDirectorySource)
    assert sorted(source.versions) == [1710, 1846, 1847, 1860]
    assert source.names_date(131) == dt.date(2026, 1, 1)
    assert not source.has_classification(104)
    changes = source.changes(131, dt.date(2024, 1, 1), dt.date(2025, 1, 1)).payload["codeChanges"]
    assert len(changes) == 118
    with pytest.raises(KlassNotFound, match="versions/1102"):
        source.version(1102)


def test_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(KlassError, match="directory not found"):
        klass_source(str(tmp_path / "nowhere"))


def _klass_104() -> dict[str, bytes]:
    """A small Klass 104 (counties) fixture in the API's shape: one version 2020–2023, one from 2024."""
    def version(vid, name, start, end, items):
        body = {"name": name, "id": vid, "validFrom": start, "validTo": end,
                "classificationItems": [{"code": c, "name": n, "level": "1"} for c, n in items]}
        return json.dumps(body).encode()

    import yaml

    from dugnad.units.registry.counties import COUNTIES_FILE

    table = yaml.safe_load(COUNTIES_FILE.read_text(encoding="utf-8"))["counties"]
    in_2020 = [c for c in table if str(c["valid_from"]) <= "2020-01-01" < str(c.get("valid_to") or "9999")]
    old = [(c["code"], c["name"]) for c in in_2020] + [("99", "Uoppgitt")]
    new = [(c["code"], c["name"]) for c in table if not c.get("valid_to")] + [("21", "Svalbard"), ("99", "Uoppgitt")]
    classification = {"id": 104, "name": "Standard for fylkesinndeling", "classificationType": "Klassifikasjon",
                      "versions": [{"id": 1, "name": "Fylkesinndeling 2020", "validFrom": "2020-01-01", "validTo": "2024-01-01"},
                                   {"id": 2, "name": "Fylkesinndeling 2024", "validFrom": "2024-01-01"}]}
    routes = {"/classifications/104": json.dumps(classification).encode()}
    for vid, name, start, end, items in ((1, "Fylkesinndeling 2020", "2020-01-01", "2024-01-01", old),
                                         (2, "Fylkesinndeling 2024", "2024-01-01", None, new)):
        routes[f"/versions/{vid}"] = version(vid, name, start, end, items)
        routes[f"/versions/{vid}?language=nn"] = version(vid, name, start, end, items)
        routes[f"/versions/{vid}?language=en"] = version(vid, name, start, end, [(c, n.replace("og", "and")) for c, n in items])
    return routes


def test_the_importer_reads_the_api_with_counties_from_klass_104(klass_dir, tmp_path):
    routes = {**recorded_routes(klass_dir), **_klass_104()}
    with KlassServer(routes) as server:
        source = KlassApiSource(KlassClient(server.url))
        source.names_date = lambda cid: dt.date(2026, 1, 1)  # the recorded codesAt date
        # The recorded Klass 131 versions start in 2020 (the API would serve the earlier ones).
        result = build_norway_registry(source, since=dt.date(2020, 1, 1), today=dt.date(2026, 1, 1))
    snapshot = result.snapshot
    counties_2024 = {u.code: u for u in snapshot.units_on(dt.date(2024, 1, 1), "county")}
    assert len(counties_2024) == 15 and "21" not in counties_2024 and "99" not in counties_2024
    assert counties_2024["15"].name_en == "Møre and Romsdal"
    assert len(snapshot.units_on(dt.date(2023, 12, 31), "county")) == 11
    assert "classifications/104" in snapshot.sources and "versions/2?language=en" in snapshot.sources
    assert any("21" in str(p) for p in result.report.warnings)
