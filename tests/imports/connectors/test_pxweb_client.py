"""The PxWebApi v2 client against recorded SCB/SSB responses on a loopback server."""

from __future__ import annotations

import json

import pytest
from tests.imports.connectors.ssbserver import FULL, Reply

from dugnad.imports.connectors.errors import SsbError

RECORDED = "no/pxwebapi-v2-scb/pxwebpy/"


def recorded(shared, name):
    return json.loads(shared(RECORDED + name).read_text(encoding="utf-8"))


def test_metadata_reads_variables_codes_and_updated(make_client):
    meta = make_client().metadata("TAB6471")
    assert meta.table == "TAB6471"
    assert meta.updated == "2026-06-08T06:00:00Z"
    assert [v.code for v in meta.variables] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert [len(v.codes) for v in meta.variables] == [312, 134, 3, 1, 16]
    assert meta.time_variable == "Tid"
    assert meta.variable("Kon").elimination is True
    assert meta.variable("Alder").elimination is False
    assert meta.variable("Region").codelists[0] == "vs_CKM01Riket"


def test_tables_follows_every_page(make_client, fake):
    tables = make_client().tables("folkmängd", page_size=7)
    assert [t["id"] for t in tables] == [t["id"] for t in fake.tables]
    assert len(tables) == 20
    pages = [r["query"]["pageNumber"] for r in fake.log if r["path"] == "/tables"]
    assert pages == ["1", "2", "3"]
    assert fake.log[0]["query"]["query"] == "folkmängd"


def test_data_returns_the_recorded_dataset(make_client, shared, fake):
    dataset = make_client().data("TAB6471", FULL)
    assert dataset == recorded(shared, "TAB6471_data.json")
    request = fake.data_requests()[0]
    assert request["method"] == "GET"
    assert request["query"]["valueCodes[Tid]"] == "2026M01,2026M02,2026M03,2026M04"
    assert request["query"]["valueCodes[Kon]"] == "TotSa,1,2"
    assert request["query"]["outputFormat"] == "json-stat2"


def test_a_split_request_merges_to_the_unsplit_result(make_client, shared, fake):
    dataset = make_client(max_cells=1000).data("TAB6471", FULL)
    assert dataset == recorded(shared, "TAB6471_data.json")
    requests = fake.data_requests()
    assert len(requests) == 3  # 2772 cells: Region (21) split in chunks of 7 × 132 = 924 cells
    assert [len(r["query"]["valueCodes[Region]"].split(",")) for r in requests] == [7, 7, 7]


def test_splitting_recurses_when_one_code_of_the_largest_variable_is_too_big(make_client, shared, fake):
    dataset = make_client(max_cells=50).data("TAB6471", FULL)
    assert dataset == recorded(shared, "TAB6471_data.json")
    assert len(fake.data_requests()) > 21
    assert all(
        len(r["query"]["valueCodes[Region]"].split(",")) * len(r["query"]["valueCodes[Alder]"].split(","))
        * len(r["query"]["valueCodes[Kon]"].split(",")) * len(r["query"]["valueCodes[Tid]"].split(",")) <= 50
        for r in fake.data_requests()
    )


def test_long_selections_are_sent_as_a_post_body(make_client, shared, fake, monkeypatch):
    monkeypatch.setattr("dugnad.imports.connectors.pxweb.MAX_GET_QUERY", 50)
    dataset = make_client().data("TAB6471", FULL)
    assert dataset == recorded(shared, "TAB6471_data.json")
    request = fake.data_requests()[0]
    assert request["method"] == "POST"
    assert request["body"]["selection"][0] == {"variableCode": "Region", "valueCodes": FULL["Region"]}


def test_429_backs_off_for_retry_after_and_retries(make_client, fake, clock):
    fake.queued.append(Reply(429, "", {"Retry-After": "7"}))
    meta = make_client().metadata("TAB6471")
    assert meta.updated == "2026-06-08T06:00:00Z"
    assert clock.sleeps == [7.0]
    assert len(fake.log) == 2


def test_rate_limit_spaces_requests_over_the_window(make_client, fake, clock):
    client = make_client(max_calls=2, period=60.0)
    for _ in range(5):
        client.metadata("TAB6471")
    assert len(fake.log) == 5
    assert clock.sleeps == [60.0, 60.0]  # requests 3 and 5 wait for the window to move on


def test_unknown_table_names_the_table(make_client):
    with pytest.raises(SsbError) as caught:
        make_client().metadata("99999")
    assert caught.value.status == 404
    assert str(caught.value) == (
        "SSB-tabell 99999: tabellen finnes ikke / the table does not exist [Non-existent table, HTTP 404]"
    )


def test_bad_value_code_is_reported_before_any_data_request(make_client, fake):
    with pytest.raises(SsbError, match=r"SSB-tabell TAB6471: verdien '9999' finnes ikke i variabelen Region"):
        make_client().data("TAB6471", {**FULL, "Region": ["9999"]})
    assert fake.data_requests() == []


def test_server_side_value_error_uses_the_ssb_body(make_client):
    # 0114 exists in the metadata but not in the served data: the server answers with SSB's real 400 body.
    with pytest.raises(SsbError) as caught:
        make_client().data("TAB6471", {**FULL, "Region": ["0114"]})
    assert caught.value.status == 400
    assert "verdi (kode) som ikke finnes" in str(caught.value)
    assert "[Non-existent value, HTTP 400]" in str(caught.value)


def test_missing_mandatory_variable_is_named(make_client):
    selection = {k: v for k, v in FULL.items() if k != "Alder"}
    with pytest.raises(SsbError, match="variabelen Alder må ha et utvalg"):
        make_client().data("TAB6471", selection)


def test_403_too_many_cells_is_explained(make_client, fake):
    fake.max_cells = 100  # the server's limit is lower than the client's
    with pytest.raises(SsbError) as caught:
        make_client().data("TAB6471", FULL)
    assert caught.value.status == 403
    assert "for mange celler" in str(caught.value)
    assert "TAB6471" in str(caught.value)


def test_persistent_429_gives_up_with_a_clear_message(make_client, fake, clock):
    fake.queued.extend(Reply(429, "", {"Retry-After": "1"}) for _ in range(10))
    with pytest.raises(SsbError, match="for mange forespørsler"):
        make_client().metadata("TAB6471")
    assert clock.sleeps == [1.0] * 5


def test_unreachable_server_is_an_ssb_error(clock):
    from dugnad.imports.connectors.pxweb import PxWebClient, Transport
    from dugnad.imports.connectors.ratelimit import RateLimiter

    client = PxWebClient("http://127.0.0.1:9", transport=Transport(limiter=RateLimiter(clock=clock, sleep=clock.sleep)))
    with pytest.raises(SsbError, match="kunne ikke nå SSB"):
        client.metadata("07459")


def test_config_reports_the_limits(make_client):
    assert make_client().config()["maxDataCells"] == 150000


def test_code_list_values_are_resolved_from_the_code_list(make_client, fake):
    fake.codelists["vs_TwoCounties"] = {"id": "vs_TwoCounties", "type": "Valueset",
                                        "values": [{"code": "01", "label": "Stockholm"}, {"code": "03", "label": "Uppsala"}]}
    dataset = make_client().data("TAB6471", {**FULL, "Region": ["*"]}, codelists={"Region": "vs_TwoCounties"},
                                 output_values={"Region": "single"})
    assert list(dataset["dimension"]["Region"]["category"]["index"]) == ["01", "03"]
    request = fake.data_requests()[0]
    assert request["query"]["codelist[Region]"] == "vs_TwoCounties"
    assert request["query"]["outputValues[Region]"] == "single"
    assert request["query"]["valueCodes[Region]"] == "01,03"
