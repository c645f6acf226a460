"""The legacy v0 client: the query body it builds and the JSON-stat it returns."""

from __future__ import annotations

import json

from dugnad.imports.connectors.pxweb import PxWebV0Client, Transport, v0_filter, v0_query
from dugnad.imports.connectors.ratelimit import RateLimiter


def test_query_body_matches_the_recorded_query(shared):
    recorded = json.loads(shared("no/ssb-pxweb/pxwebpy/07221_v0_query_no.json").read_text(encoding="utf-8"))
    values = {item["code"]: item["selection"]["values"] for item in recorded["query"]}
    assert v0_query(values) == recorded


def test_filters_for_code_lists_wildcards_and_top():
    assert v0_filter(["K-3101", "K-0301"], "agg_KommSummer") == {"filter": "agg:KommSummer",
                                                                  "values": ["K-3101", "K-0301"]}
    assert v0_filter("*") == {"filter": "all", "values": ["*"]}
    assert v0_filter("top(5)") == {"filter": "top", "values": ["5"]}


def test_v0_post_returns_the_recorded_dataset(server, fake, shared, clock):
    recorded_query = json.loads(shared("no/ssb-pxweb/pxwebpy/07221_v0_query_no.json").read_text(encoding="utf-8"))
    client = PxWebV0Client(server.url, transport=Transport(limiter=RateLimiter(clock=clock, sleep=clock.sleep)))
    values = {item["code"]: item["selection"]["values"] for item in recorded_query["query"]}
    dataset = client.data("07221", values)
    assert dataset["extension"]["px"]["tableid"] == "07221"
    assert dataset["size"] == [12, 3, 1, 8]
    assert dataset["status"]["176"] == ".."
    request = fake.log[0]
    assert (request["method"], request["path"]) == ("POST", "/no/table/07221")
    assert request["body"] == recorded_query
