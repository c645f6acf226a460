"""Benchmark: unit registry — snapshot load (bulk diff vs. naive per-row update_or_create) and reform carrying.

Part 1 runs on a fresh temporary SQLite file: ``registry_load_snapshot()`` on an empty database, again (the
``dugnad init`` case: nothing changes), and the naive baseline (``update_or_create`` per level, unit and code
change, resolving each parent with a query) on the same database after emptying it; then the same for the
population snapshot (``population_load_snapshot()`` against ``update_or_create`` per figure).

Part 2 carries a synthetic 2019 series (every municipality code of 2019 that appears in the change list ×
indicators × years) onto the units valid on 2024-01-01 with ``carry_observations`` (memoised successors per
code and period), against the baseline of recomputing the successors for every row.

    .venv/bin/python benchmarks/units_load.py [--indicators 50] [--years 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _setup(data_dir: str) -> None:
    os.environ["DUGNAD_DATA_DIR"] = data_dir
    os.environ.pop("DUGNAD_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dugnad.config.settings"
    import django

    django.setup()
    from bench_db import migrate

    migrate()


def naive_load(snapshot) -> None:
    """Baseline: one update_or_create per row; each parent looked up with its own query."""
    from django.db import transaction

    from dugnad.units.models import CodeChange, Level, Unit

    with transaction.atomic():
        levels = {}
        for lv in snapshot.levels:
            levels[lv.code], _ = Level.objects.update_or_create(
                code=lv.code, defaults={"name_nb": lv.name_nb, "name_nn": lv.name_nn, "name_en": lv.name_en, "rank": lv.rank})
        for u in snapshot.units:
            parent = None
            if u.parent:
                parent = Unit.objects.valid_on(dt.date.fromisoformat(u.valid_from)).filter(code=u.parent).first()
            Unit.objects.update_or_create(
                code=u.code, valid_from=u.valid_from,
                defaults={"level": levels[u.level], "name": u.name, "name_nn": u.name_nn, "name_en": u.name_en,
                          "other_names": u.other_names, "valid_to": u.valid_to, "parent": parent})
        for c in snapshot.code_changes:
            CodeChange.objects.update_or_create(
                old_code=c.old_code, new_code=c.new_code, date=c.date,
                defaults={"change_type": c.type, "old_name": c.old_name, "new_name": c.new_name, "weight": c.weight,
                          "weight_basis": c.weight_basis, "level": levels[c.level]})


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench_load() -> list[tuple[str, float, int]]:
    """Rows: (run, seconds, units) for bulk first load, bulk re-load and the naive baseline."""
    from dugnad.units.registry.snapshot import SHIPPED_NORWAY, snapshot_read

    rows = []
    with tempfile.TemporaryDirectory() as first:
        _setup(first)
        from django.db import connection

        from dugnad.units.models import CodeChange, Level, Unit
        from dugnad.units.services import registry_load_snapshot

        seconds, snapshot = _timed(lambda: snapshot_read(SHIPPED_NORWAY))
        rows.append(("read snapshot (JSON + checks)", seconds, len(snapshot.units)))
        rows.append(("bulk load, empty database", _timed(registry_load_snapshot)[0], len(snapshot.units)))
        rows.append(("bulk re-load, nothing changes (`dugnad init`)", _timed(registry_load_snapshot)[0], len(snapshot.units)))
        CodeChange.objects.all().delete()
        for rank in (2, 1, 0):  # children before parents (parent is a protected foreign key)
            Unit.objects.filter(level__rank=rank).delete()
        Level.objects.all().delete()
        rows.append(("naive update_or_create, empty database (baseline)", _timed(lambda: naive_load(snapshot))[0],
                     len(snapshot.units)))
        rows.append(("naive update_or_create, re-load (baseline)", _timed(lambda: naive_load(snapshot))[0],
                     len(snapshot.units)))
        rows += _bench_population()
        connection.close()
    return rows


def _bench_population() -> list[tuple[str, float, int]]:
    """Rows for the population snapshot: bulk load, no-op re-load, and per-figure update_or_create (baseline)."""
    from dugnad.units.models import Population
    from dugnad.units.population.snapshot import population_read
    from dugnad.units.services import population_load_snapshot

    figures = [(code, f.year, value, f.basis) for f in population_read().figures for code, value in f.values.items()]

    def naive() -> None:
        for code, year, value, basis in figures:
            Population.objects.update_or_create(code=code, year=year, defaults={"value": value, "basis": basis})

    rows = [("population: bulk load, empty table", _timed(population_load_snapshot)[0], len(figures)),
            ("population: bulk re-load, nothing changes", _timed(population_load_snapshot)[0], len(figures))]
    Population.objects.all().delete()
    return [*rows, ("population: naive update_or_create, empty table (baseline)", _timed(naive)[0], len(figures))]


def bench_carry(indicators: int, years: int) -> list[tuple[str, float, int]]:
    """Rows: (run, seconds, observations) for memoised carrying and the recompute-per-row baseline."""
    from dugnad.analytics.codes import ChangeKind, CodeChangeEvent, CodeHistory, carry_observations
    from dugnad.units.registry.snapshot import SHIPPED_NORWAY, snapshot_read

    snapshot = snapshot_read(SHIPPED_NORWAY)
    events = [CodeChangeEvent(c.old_code, c.new_code, dt.date.fromisoformat(c.date), ChangeKind(c.type), c.weight)
              for c in snapshot.code_changes if c.level == "municipality"]
    codes = sorted({c.old_code for c in snapshot.code_changes if c.level == "municipality" and c.date == "2020-01-01"})
    observations = [{"unit": code, "indicator": f"i{i}", "period": str(2010 + y), "value": float(i + y)}
                    for code in codes for i in range(indicators) for y in range(years)]
    on = dt.date(2024, 1, 1)
    seconds, _ = _timed(lambda: carry_observations(observations, events, on=on))

    class Unmemoised(CodeHistory):
        def successors(self, code, *, on, after=None):
            self._memo.clear()
            return super().successors(code, on=on, after=after)

    baseline, _ = _timed(lambda: carry_observations(observations, Unmemoised(events), on=on))
    return [("carry_observations (memoised successors)", seconds, len(observations)),
            ("recompute successors per row (baseline)", baseline, len(observations))]


def main() -> None:
    """Run both parts and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    print("| run | seconds | rows/s |\n|---|---:|---:|")
    for name, seconds, count in bench_load():
        print(f"| {name} | {seconds:.3f} | {count / seconds:,.0f} |")
    print("\n| run | seconds | observations/s |\n|---|---:|---:|")
    for name, seconds, count in bench_carry(args.indicators, args.years):
        print(f"| {name} ({count:,} rows) | {seconds:.2f} | {count / seconds:,.0f} |")


if __name__ == "__main__":
    main()
