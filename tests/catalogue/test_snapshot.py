"""The shipped snapshot is exactly what the importer makes from the shared taxonomy."""

from __future__ import annotations

from dugnad.catalogue.document import SNAPSHOT_FILE, build_document, document_bytes, document_read
from dugnad.catalogue.taxonomy import read_taxonomy
from tests.conftest import shared_path


def test_regenerating_the_snapshot_from_the_shared_taxonomy_gives_the_shipped_one():
    document = build_document(read_taxonomy(shared_path("no/ks-sdg-taxonomy")))
    assert document == document_read(SNAPSHOT_FILE)
    assert document_bytes(document) == SNAPSHOT_FILE.read_bytes()


def test_the_snapshot_is_attributed_to_ks_and_data_norge():
    document = document_read()
    assert "KS" in document["attribution"]["publisher"]
    assert "data.norge.no" in document["attribution"]["distributor"]
    assert {f["publisher"] for f in document["frameworks"]} == {"KS"}
    assert {f["licence"] for f in document["frameworks"]} == {"published as open vocabulary on data.norge.no"}
    assert len(document["goals"]) == 17 and len(document["targets"]) == 169
    assert document["targets_missing_in_taxonomy"] == []
