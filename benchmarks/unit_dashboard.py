"""Benchmark: the unit dashboard read, batched (``scores.dashboard``) against the per-indicator baseline, same run,
and the whole page as the server answers it (issue 17: ≤ 20 SQL queries, < 150 ms server time).

The baseline is the read the page did before it was batched: one ``rollup_for`` per indicator and parent
(each reloading units and specs) and a separate query for the peers' values. Both are timed warm on the
same database, in the same process, alternating; SQL queries are counted with Django's query capture.
The page (``/enheter/<unit>/dashbord/``) is requested through Django's whole handler and middleware as a signed-in
demo user who may see the unit (``--user``), warm; its wall and CPU time and its queries are printed too.
Needs a database with the demo data and a score run (``dugnad demo --no-serve``).

    DUGNAD_DATA_DIR=/path/to/demo .venv/bin/python benchmarks/unit_dashboard.py [--unit 4601] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")


def baseline(unit) -> list[tuple]:
    """The pre-batching read: per indicator, one roll-up per parent and the peers' values."""
    from dugnad.scores.models import IndicatorScore
    from dugnad.scores.selectors import latest_score_run, peers_for, rollup_for, unit_indicator_scores
    from dugnad.units.selectors import unit_country

    run = latest_score_run()
    country = unit_country()
    search = peers_for(unit)
    codes = [p.unit for p in search.peers] if search else []
    peer_values: dict[int, list[float]] = {}
    for indicator_id, value in IndicatorScore.objects.filter(run=run, unit__code__in=codes).exclude(value=None) \
            .values_list("indicator_id", "value"):
        peer_values.setdefault(indicator_id, []).append(value)
    out = []
    for s in unit_indicator_scores(unit, run):
        rolled = [rollup_for(parent, s.indicator, run) for parent in (unit.parent, country)
                  if parent is not None and parent.pk != unit.pk]
        out.append((s.indicator.code, *[r.value if r else None for r in rolled],
                    statistics.fmean(peer_values[s.indicator_id]) if peer_values.get(s.indicator_id) else None))
    return out


def batched(unit) -> list[tuple]:
    """The batched read the page does now."""
    from dugnad.scores.dashboard import unit_dashboard

    board = unit_dashboard(unit)
    return [(line.code, line.county, line.country, line.peers) for line in board.lines]


def measure(fn, unit, repeat: int) -> tuple[float, int, list]:
    """Median seconds over ``repeat`` warm runs, the query count of one run, and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn(unit)  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(unit)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        result = fn(unit)
    return statistics.median(times), len(captured.captured_queries), result


def page(code: str, username: str, repeat: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of the dashboard page (warm) and its SQL queries, as ``username``."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    url = f"/enheter/{code}/dashbord/"
    assert client.get(url).status_code == 200, url  # warm
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(walls), statistics.median(cpus), len(captured.captured_queries)


def main() -> None:
    """Print the side-by-side figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="4601")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="bergen", help="A demo user who may see the unit (the page signs in as it).")
    args = parser.parse_args()
    os.environ.setdefault("DUGNAD_ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()
    from dugnad.units.selectors import unit_current

    unit = unit_current(args.unit)
    old_s, old_q, old = measure(baseline, unit, args.repeat)
    new_s, new_q, new = measure(batched, unit, args.repeat)
    same = [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in old] == \
        [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in new]
    print(f"unit {args.unit}: {len(new)} indicator lines; same figures: {same}")
    print(f"{'read':<28}{'median ms':>10}{'queries':>9}")
    print(f"{'per indicator (baseline)':<28}{old_s * 1000:>10.0f}{old_q:>9}")
    print(f"{'batched (scores.dashboard)':<28}{new_s * 1000:>10.0f}{new_q:>9}")
    wall, cpu, queries = page(args.unit, args.user, args.repeat)
    print(f"{'whole page, signed in':<28}{wall * 1000:>10.0f}{queries:>9}   (CPU {cpu * 1000:.0f} ms, "
          f"load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
