"""Benchmark: ``GET /api/v1/observations`` for one unit, server time, against a per-row ORM baseline in the same run.

Server time = the whole Django request in process (URL routing, throttle, query, serialisation, ETag), measured
around the test client's call, so no network. The baseline is the read an ORM view would do: the unit's current
observations through the queryset with their unit, indicator and import run, one dictionary per row, then
``json.dumps`` (no HTTP around it, so it is the lower bound of such a view). Each figure is the median of
``--repeat`` warm runs; SQL queries are counted with Django's query capture. Needs a database with the demo data
(``dugnad demo --no-serve``).

    DUGNAD_DATA_DIR=/path/to/demo .venv/bin/python benchmarks/api_v1.py [--unit 0301] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")


def baseline(unit: str) -> bytes:
    """The per-row ORM read of the unit's current observations as JSON."""
    from dugnad.observations.models import Observation

    rows = (Observation.objects.current().filter(unit__code=unit)
            .select_related("unit", "indicator", "indicator__framework", "import_run")
            .order_by("indicator__code", "period", "dimension_key"))
    items = [{"unit": o.unit.code, "indicator": o.indicator.code, "period": o.period, "dimension_key": o.dimension_key,
              "value": o.value, "status": o.status, "demo": bool(o.import_run and o.import_run.is_demo)} for o in rows]
    return json.dumps({"count": len(items), "items": items}).encode()


def measure(fn, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds over ``repeat`` warm runs, the query count of one run and its response size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        size = len(fn())
    return statistics.median(times) * 1000, len(captured.captured_queries), size


def main() -> None:
    """Print the side-by-side figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="0301")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from dugnad.api.open_data import api

    for throttle in api.throttle:  # the benchmark makes more requests than an address may
        throttle.num_requests = 10**9
    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")

    def get(**query):
        def call() -> bytes:
            response = client.get("/api/v1/observations", {"unit": args.unit, **query})
            assert response.status_code == 200, response.content[:300]
            return response.content
        return call

    count = json.loads(get(limit=1)())["count"]
    print(f"unit {args.unit}: {count} current observations")
    print(f"{'read':<44}{'median ms':>10}{'queries':>9}{'bytes':>10}")
    for label, fn in (
        ("per-row ORM + json.dumps (baseline)", lambda: baseline(args.unit)),
        ("GET /api/v1/observations (JSON)", get(limit=10000)),
        ("GET … format=csv", get(format="csv")),
        ("GET … format=jsonstat", get(format="jsonstat")),
        ("GET … on=2024-01-01 (carried, JSON)", get(on="2024-01-01", limit=10000)),
    ):
        ms, queries, size = measure(fn, args.repeat)
        print(f"{label:<44}{ms:>10.1f}{queries:>9}{size:>10}")


if __name__ == "__main__":
    main()
