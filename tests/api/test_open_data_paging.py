"""/api/v1: CSV and JSON-stat are paged like JSON (count and next page in headers); CORS preflight for GET."""

from __future__ import annotations

import csv
import io

import pytest
from tests.api.test_open_data_api import client, world  # noqa: F401 - the fixtures

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_pages_like_json_and_links_the_next_page(world, client):  # noqa: F811
    whole = client.get("/api/v1/observations", {"unit": "0301"}).json()["items"]
    first = client.get("/api/v1/observations", {"unit": "0301", "format": "csv", "limit": 3})
    assert first["X-Total-Count"] == "4" and len(_csv(first)) == 3
    assert 'rel="next"' in first["Link"] and "offset=3" in first["Link"] and "format=csv" in first["Link"]
    assert "X-Total-Count" in first["Access-Control-Expose-Headers"]
    following = client.get(first["Link"].split(">")[0].lstrip("<"))
    rows = _csv(first) + _csv(following)
    assert "Link" not in following and len(_csv(following)) == 1
    assert [(r["indicator"], r["period"]) for r in rows] == [(i["indicator"], i["period"]) for i in whole]


def test_json_stat_pages_too(world, client):  # noqa: F811
    response = client.get("/api/v1/observations", {"unit": "0301", "format": "jsonstat", "limit": 2, "offset": 2})
    data = response.json()
    assert data["extension"]["count"] == 4 and data["extension"]["offset"] == 2
    assert sum(v is not None for v in data["value"]) == 2 and response["X-Total-Count"] == "4"
    assert "Link" not in response


@pytest.mark.parametrize("path", ["units", "goals", "targets", "indicators", "observations", "scores"])
def test_a_cors_preflight_for_get_is_answered(db, client, path):  # noqa: F811
    response = client.options(f"/api/v1/{path}", HTTP_ORIGIN="https://avis.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert response["Access-Control-Allow-Headers"] == "if-none-match"
    assert int(response["Access-Control-Max-Age"]) > 0
    assert client.post(f"/api/v1/{path}").status_code == 405  # still read-only
