"""Full-text search of the good-practice library in Norwegian: one backend per database vendor, in a registry.

PostgreSQL uses its ``norwegian`` text-search configuration (Snowball stemming, stop words): a side
table ``practices_case_tsv`` of weighted tsvectors with a GIN index, ranked by ``ts_rank``. SQLite uses
an FTS5 table filled with the same Snowball stems (``dugnad.practices.stemming``) ranked by ``bm25``.
Both match any query word as a prefix of a stem (so «klima» finds «klimatilpasning»), rank documents
that match more and rarer words higher, and weight the title above tags, summary and results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from dugnad.practices.models import PracticeCase
from dugnad.practices.stemming import stemmed, stems, words

#: Column weights, title first (PostgreSQL A–D; SQLite bm25 weights in the same order).
BM25_WEIGHTS = (10.0, 3.0, 1.5, 6.0)


@dataclass(frozen=True)
class Hit:
    """A case id and its relevance (higher is better) from a search backend."""

    case_id: int
    rank: float


def case_keywords(case: PracticeCase) -> str:
    """The tags, place and targets of a case as one text (stored on the case; weighted just below the title)."""
    place = case.unit.name if case.unit_id else ""
    targets = " ".join(f"mål {t.code}" for t in case.targets.all())
    return " ".join(str(x) for x in [*case.tags, place, targets] if x)


# --- SQLite FTS5 --------------------------------------------------------------------------------------------


def _sqlite_index(cases: list[PracticeCase]) -> None:
    rows = [(c.pk, stemmed(c.title), stemmed(c.summary), stemmed(c.results), stemmed(c.keywords)) for c in cases]
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM practices_case_fts WHERE rowid = %s", [(r[0],) for r in rows])
        cursor.executemany(
            "INSERT INTO practices_case_fts (rowid, title, summary, results, keywords) VALUES (%s, %s, %s, %s, %s)", rows)


def _sqlite_remove(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        for pk in ids:
            cursor.execute("DELETE FROM practices_case_fts WHERE rowid = %s", [pk])


def _sqlite_search(query: str, limit: int) -> list[Hit]:
    terms = sorted(set(stems(query)))
    if not terms:
        return []
    match = " OR ".join(f'"{t}"*' for t in terms)
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25(practices_case_fts, {weights}) AS score FROM practices_case_fts "
            "WHERE practices_case_fts MATCH %s ORDER BY score, rowid LIMIT %s",
            [match, limit],
        )
        return [Hit(int(pk), -float(score)) for pk, score in cursor.fetchall()]


# --- PostgreSQL ---------------------------------------------------------------------------------------------

#: The weighted document vector of a case, as SQL over ``practices_practicecase`` (title A, keywords B, summary C, results D).
_PG_VECTOR = ("setweight(to_tsvector('norwegian', coalesce(title, '')), 'A') || "
              "setweight(to_tsvector('norwegian', coalesce(keywords, '')), 'B') || "
              "setweight(to_tsvector('norwegian', coalesce(summary, '')), 'C') || "
              "setweight(to_tsvector('norwegian', coalesce(results, '')), 'D')")
#: ts_rank weights for D, C, B, A (PostgreSQL's order).
_PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


def _postgres_index(cases: list[PracticeCase]) -> None:
    ids = [c.pk for c in cases]
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO practices_case_tsv (case_id, vector) SELECT id, {_PG_VECTOR} FROM practices_practicecase "
            "WHERE id = ANY(%s) ON CONFLICT (case_id) DO UPDATE SET vector = EXCLUDED.vector", [ids])


def _postgres_remove(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_case_tsv WHERE case_id = ANY(%s)", [list(ids)])


def _postgres_search(query: str, limit: int) -> list[Hit]:
    terms = sorted(set(words(query)))
    if not terms:
        return []
    # Words are [0-9a-zæøå…]+ only, so the tsquery cannot be malformed; PostgreSQL stems each one.
    tsquery = " | ".join(f"{t}:*" for t in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.case_id, ts_rank(%s::float4[], t.vector, q) AS rank "
            "FROM practices_case_tsv t JOIN practices_practicecase c ON c.id = t.case_id, to_tsquery('norwegian', %s) q "
            "WHERE t.vector @@ q ORDER BY rank DESC, t.case_id LIMIT %s",
            [_PG_WEIGHTS, tsquery, limit])
        return [Hit(int(pk), float(rank)) for pk, rank in cursor.fetchall()]


@dataclass(frozen=True)
class SearchBackend:
    """How one database vendor indexes and searches cases."""

    index: Callable[[list[PracticeCase]], None]
    remove: Callable[[list[int]], None]
    search: Callable[[str, int], list[Hit]]


#: Search backends by ``connection.vendor``.
BACKENDS: dict[str, SearchBackend] = {
    "sqlite": SearchBackend(index=_sqlite_index, remove=_sqlite_remove, search=_sqlite_search),
    "postgresql": SearchBackend(index=_postgres_index, remove=_postgres_remove, search=_postgres_search),
}


def backend() -> SearchBackend:
    """The search backend of the current database."""
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"Søk i praksisbiblioteket støttes ikke på {connection.vendor}.") from None
