"""Benchmark: ranked Norwegian search in the good-practice library, against a naive ``icontains`` scan.

Builds a fresh database (SQLite in a temp dir, or PostgreSQL when ``--postgres URL`` is given; that database is
dropped and recreated), loads the 35 demo cases repeated to ``--cases`` cases (each copy with a numbered title),
rebuilds the search index (SQLite FTS5 with Snowball stems; PostgreSQL needs none) and runs the 18 labelled
queries of the search tests ``--repeat`` times each. The baseline in the same run is the obvious ORM query: every
query word as ``title/summary/results icontains`` ORed together, unranked and unstemmed. Reports median and p95
latency per query and how often the labelled cases were in the top 3 (the baseline has no ranking, so "top 3"
is the first three rows it returns; a copy of a labelled case counts as that case). Prints a Markdown table.

    .venv/bin/python benchmarks/practices_search.py [--cases 10000] [--repeat 20] [--postgres postgresql://postgres@127.0.0.1:5432/dugnad_search_bench]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from functools import reduce
from operator import or_
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def _setup(postgres: str | None) -> None:
    os.environ["DUGNAD_DATA_DIR"] = tempfile.mkdtemp(prefix="dugnad-search-bench-")
    if postgres:
        import psycopg

        base, name = postgres.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DUGNAD_DATABASE_URL"] = postgres
    os.environ["DJANGO_SETTINGS_MODULE"] = "dugnad.config.settings"
    import django

    django.setup()
    from bench_db import migrate

    migrate()


def _load(n: int) -> float:
    """Insert n cases cycling through the demo cases; returns seconds to (re)build the index."""
    from dugnad.demo.practices import demo_cases_load
    from dugnad.practices.models import PracticeCase
    from dugnad.practices.services import library_reindex

    items = demo_cases_load()
    rows = [PracticeCase(title=f"{it['title']}" if i < len(items) else f"{it['title']} ({i // len(items)})",
                         summary=it["summary"], results=it["results"], tags=it["tags"], year=it["year"])
            for i, it in ((i, items[i % len(items)]) for i in range(n))]
    PracticeCase.objects.bulk_create(rows, batch_size=2000)
    start = time.perf_counter()
    library_reindex()
    return time.perf_counter() - start


def _naive(query: str, limit: int = 50) -> list[int]:
    from django.db.models import Q

    from dugnad.practices.models import PracticeCase
    from dugnad.practices.stemming import words

    terms = words(query)
    if not terms:
        return []
    condition = reduce(or_, (Q(title__icontains=t) | Q(summary__icontains=t) | Q(results__icontains=t) for t in terms))
    return list(PracticeCase.objects.filter(condition).order_by("pk").values_list("pk", flat=True)[:limit])


def _ranked(query: str, limit: int = 50) -> list[int]:
    from dugnad.practices.selectors import practices_search

    return [h.case.pk for h in practices_search(query, limit=limit).hits]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    _setup(args.postgres or None)
    from django.db import connection
    from tests.networks.test_search import LABELLED

    from dugnad.demo.practices import demo_cases_load
    from dugnad.practices.models import PracticeCase

    index_s = _load(args.cases)
    key_of_title = {c["title"]: c["key"] for c in demo_cases_load()}
    key_of = {pk: key_of_title[re.sub(r" \(\d+\)$", "", title)] for pk, title in PracticeCase.objects.values_list("pk", "title")}
    table = []
    for label, fn in (("ranked full-text (this project)", _ranked), ("baseline: icontains OR scan", _naive)):
        times, hits = [], 0
        for query, expected in LABELLED:
            for _ in range(args.repeat):
                start = time.perf_counter()
                top = fn(query)[:3]
                times.append((time.perf_counter() - start) * 1000)
            hits += set(expected) <= {key_of[pk] for pk in top}
        times.sort()
        table.append((label, statistics.median(times), times[int(0.95 * (len(times) - 1))], hits))
    print(f"\n{connection.vendor}, {args.cases:,} cases, index build {index_s:.2f} s, "
          f"{len(LABELLED)} labelled queries × {args.repeat}\n")
    print("| database | method | median ms | p95 ms | labelled queries with expected cases in top 3 |")
    print("|---|---|---:|---:|---:|")
    for label, median, p95, hits in table:
        print(f"| {connection.vendor} | {label} | {median:.2f} | {p95:.2f} | {hits}/{len(LABELLED)} |")


if __name__ == "__main__":
    main()
