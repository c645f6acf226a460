"""The response cache: hits avoid requests, a changed ``updated`` invalidates."""

from __future__ import annotations

from tests.imports.connectors.ssbserver import FULL


def test_second_fetch_is_served_from_the_cache(make_client, fake):
    client = make_client(cache=True)
    first = client.data("TAB6471", FULL)
    second = client.data("TAB6471", FULL)
    assert second == first
    assert len(fake.data_requests()) == 1
    assert (client.cache.hits, client.cache.misses) == (1, 1)


def test_another_selection_is_a_miss(make_client, fake):
    client = make_client(cache=True)
    client.data("TAB6471", FULL)
    client.data("TAB6471", {**FULL, "Kon": ["1"]})
    assert len(fake.data_requests()) == 2


def test_a_new_updated_timestamp_invalidates(make_client, fake):
    client = make_client(cache=True)
    client.data("TAB6471", FULL)
    fake.set_value("TAB6471", 0, 999999)
    revised = client.data("TAB6471", FULL)
    assert revised["value"][0] == 999999
    assert len(fake.data_requests()) == 2
    files = list((client.cache.root / "TAB6471").glob("*.json"))
    assert len(files) == 1 and files[0].name.startswith("20270101T080000Z-")


def test_cached_fetch_keeps_its_provenance(make_client):
    client = make_client(cache=True)
    meta = client.metadata("TAB6471")
    selection = client.selection(meta, FULL)
    fresh = client.fetch(selection, meta)
    cached = client.fetch(selection, meta)
    assert cached.from_cache and not fresh.from_cache
    assert cached.urls == fresh.urls
    assert cached.provenance()["url"].startswith(client.base_url + "/tables/TAB6471/data?")
    assert cached.provenance()["updated"] == "2026-06-08T06:00:00Z"
