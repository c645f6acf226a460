"""The catalogue document: goals, targets, frameworks, indicators and concordance as one plain structure.

Built from the project's goal facts plus a taxonomy read by :mod:`dugnad.catalogue.taxonomy`; written
to and read from the shipped snapshot (``data/catalogue.json.gz``). Django-free.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from dugnad.catalogue.concordance_rules import concordance_links
from dugnad.catalogue.facts import DATA_DIR, goal_facts, target_codes, target_sort_key
from dugnad.catalogue.taxonomy import Taxonomy

FORMAT = "dugnad-catalogue/1"
SNAPSHOT_FILE = DATA_DIR / "catalogue.json.gz"
PUBLISHER = "KS"
LICENCE = "published as open vocabulary on data.norge.no"
ATTRIBUTION = {
    "publisher": "KS – Kommunesektorens organisasjon (org.nr. 971032146)",
    "distributor": "data.norge.no (Digdir, Felles datakatalog)",
    "licence": LICENCE + " (the Turtle files state no licence)",
    "taxonomy": "KS/SSB SDG taxonomy (bærekraftsindikatorer), RDF Turtle",
    "goals": "Goal names, colours and target codes written by the Dugnad project (goals.yaml)",
}


def goals_part() -> list[dict]:
    """The 17 goals as document rows."""
    return [
        {
            "number": g.number, "colour": g.colour, "name_nb": g.name_nb, "name_nn": g.name_nn, "name_en": g.name_en,
            "title_nb": g.title_nb, "title_en": g.title_en,
        }
        for g in goal_facts()
    ]


def targets_part(taxonomy: Taxonomy | None = None) -> tuple[list[dict], list[str]]:
    """The 169 targets (codes from the taxonomy's UN scheme, completed from the project's list) and the codes it lacked."""
    from_taxonomy = set()
    if taxonomy is not None:
        for scheme in taxonomy.schemes:
            if scheme.slug == "un-sdg-indicators":
                from_taxonomy = {t for ind in scheme.indicators for t in ind.targets}
    codes = target_codes()
    unknown = sorted(from_taxonomy - set(codes))
    if unknown:
        raise ValueError(f"taxonomy names targets that are not SDG targets: {unknown}")
    missing = [c for c in codes if taxonomy is not None and c not in from_taxonomy]
    rows = [
        {"code": c, "goal": int(c.split(".")[0]), "title_nb": "", "title_en": "", "sort_key": target_sort_key(c)}
        for c in codes
    ]
    return rows, missing


def build_document(taxonomy: Taxonomy) -> dict:
    """The whole catalogue as a JSON-ready dictionary (deterministic: same taxonomy → same document)."""
    targets, missing = targets_part(taxonomy)
    frameworks, indicators = [], []
    for scheme in sorted(taxonomy.schemes, key=lambda s: s.slug):
        modified = f"; sist endret {scheme.modified}" if scheme.modified else ""
        frameworks.append(
            {
                "code": scheme.slug,
                "name": scheme.name,
                "publisher": PUBLISHER,
                "source_url": scheme.uri,
                "licence": LICENCE,
                "description": f"Indikatorsett fra KS' bærekraftstaksonomi ({scheme.publisher or PUBLISHER}){modified}.",
            }
        )
        for ind in sorted(scheme.indicators, key=lambda i: i.code):
            indicators.append(
                {
                    "framework": scheme.slug, "code": ind.code, "name_nb": ind.name_nb, "name_nn": "",
                    "name_en": ind.name_en, "uri": ind.uri, "unit_of_measure": ind.unit_of_measure,
                    "source": ind.source, "goals": list(ind.goals), "targets": list(ind.targets),
                    "metadata": ind.metadata,
                }
            )
    concordances = [
        {"source": list(link.source), "target": list(link.target), "relation": link.relation, "basis": link.basis}
        for link in concordance_links(taxonomy)
    ]
    return {
        "format": FORMAT,
        "attribution": ATTRIBUTION,
        "targets_missing_in_taxonomy": missing,
        "goals": goals_part(),
        "targets": targets,
        "frameworks": frameworks,
        "indicators": indicators,
        "concordances": concordances,
    }


def document_bytes(document: dict) -> bytes:
    """The document as gzip-compressed JSON with a fixed timestamp, so equal documents give equal bytes."""
    raw = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return buffer.getvalue()


def document_write(document: dict, path: Path = SNAPSHOT_FILE) -> Path:
    """Write the document as a snapshot file (``.json.gz``)."""
    path.write_bytes(document_bytes(document))
    return path


def document_read(path: Path = SNAPSHOT_FILE) -> dict:
    """Read a snapshot file; raises ValueError when it is not a catalogue document."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    if document.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} document")
    return document
