"""Benchmark: ``score_run_create`` (persisted score run) — new run, reuse on unchanged data, and the engine alone.

Builds a Norway-sized store in a fresh database: 1 country, 15 counties, 357 municipalities,
``--indicators`` indicators with specs, ``--years`` annual values each (about 4 % missing), then times

* **new run**: read units/specs/observations from the database, score with the SDSN engine, save the run
  and its result rows (one transaction);
* **reuse**: the same call again on unchanged data (fingerprint from ids and revisions only, no scoring);
* **baseline: engine alone**: ``build_inputs`` + ``score`` on the Arrow tables already in memory — the floor
  a persisted run cannot beat;
* **after one revised observation**: a new run again (the changed revision changes the fingerprint).

Each database runs in its own process. Prints a Markdown table.

    .venv/bin/python benchmarks/score_run.py                  # SQLite and PostgreSQL, 40 indicators × 11 years
    .venv/bin/python benchmarks/score_run.py --skip-postgres --indicators 100
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTIES, MUNICIPALITIES = 15, 357


def _setup(db_url: str, data_dir: str, indicators: int, years: int) -> int:
    """Start Django on the database, migrate, create units, specs and observations; returns the observation count."""
    os.environ.update({"DUGNAD_DATABASE_URL": db_url, "DUGNAD_DATA_DIR": data_dir, "DUGNAD_DEBUG": "0",
                       "DUGNAD_SECRET_KEY": "benchmark-only", "DJANGO_SETTINGS_MODULE": "dugnad.config.settings"})
    import datetime as dt

    import django

    django.setup()

    from bench_db import migrate

    from dugnad.catalogue.models import Framework, Goal, Indicator, IndicatorSpec
    from dugnad.observations.models import Observation
    from dugnad.units.models import Level, Population, Unit

    migrate()
    rng = random.Random(2030)
    start = dt.date(2024, 1, 1)
    levels = {code: Level.objects.get_or_create(code=code, defaults={"name_nb": code, "rank": rank})[0]
              for rank, code in enumerate(("country", "county", "municipality"))}
    country = Unit.objects.create(code="0", name="Norge", level=levels["country"], valid_from=start)
    counties = Unit.objects.bulk_create(Unit(code=f"{c + 1:02d}", name=f"Fylke {c + 1}", level=levels["county"],
                                             parent=country, valid_from=start) for c in range(COUNTIES))
    munis = Unit.objects.bulk_create(
        Unit(code=f"{m % COUNTIES + 1:02d}{m // COUNTIES + 1:02d}", name=f"Kommune {m}", level=levels["municipality"],
             parent=counties[m % COUNTIES], valid_from=start)
        for m in range(MUNICIPALITIES))
    Population.objects.bulk_create(Population(code=u.code, year=start.year, value=max(200, round(rng.lognormvariate(8.5, 1.15))))
                                   for u in munis)
    for n in range(1, 18):
        Goal.objects.get_or_create(number=n, defaults={"colour": "#000000", "name_nb": f"Mål {n}", "name_nn": f"Mål {n}",
                                                       "name_en": f"Goal {n}"})
    framework = Framework.objects.create(code="bench", name="Benchmark")
    inds = Indicator.objects.bulk_create(Indicator(framework=framework, code=f"B{i:03d}", name_nb=f"Indikator {i}")
                                         for i in range(indicators))
    IndicatorSpec.objects.bulk_create(
        IndicatorSpec(indicator=ind, goal_id=i % 17 + 1, upper_bound=100, lower_bound=0, green=70, red=40,
                      trend_from=2019, trend_to=2024) for i, ind in enumerate(inds))
    rows = []
    for unit in [country, *counties, *munis]:
        for ind in inds:
            for year in range(2025 - years, 2025):
                value = None if rng.random() < 0.04 else rng.uniform(0, 100)
                rows.append(Observation(unit=unit, indicator=ind, period=str(year), value=value,
                                        status="ok" if value is not None else "missing"))
    Observation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: argparse.Namespace) -> dict:
    """Set up the store, then time the runs; returns a JSON-ready dict."""
    observations = _setup(args.db_url, args.data_dir, args.indicators, args.years)
    from dugnad.analytics.scoring import ScoreParams, build_inputs, score
    from dugnad.observations.models import Observation
    from dugnad.scores.models import IndicatorScore
    from dugnad.scores.score_inputs import platform_inputs
    from dugnad.scores.services import score_run_create

    timings = []

    def timed(label, fn):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        timings.append({"label": label, "wall": time.perf_counter() - start, "cpu": time.process_time() - cpu})
        return result

    first = timed("new run (read + score + save)", score_run_create)
    again = timed("reuse on unchanged data", score_run_create)
    assert again.reused and again.run.pk == first.run.pk
    inputs = platform_inputs()
    timed("baseline: engine alone on in-memory Arrow", lambda: score(build_inputs(
        indicators=inputs.indicators, units=inputs.units, observations=inputs.observations), ScoreParams()))
    obs = Observation.objects.filter(value__isnull=False).first()
    obs.is_current = False
    obs.save(update_fields=["is_current"])
    Observation.objects.create(unit=obs.unit, indicator=obs.indicator, period=obs.period, value=obs.value + 1,
                               revision=obs.revision + 1)
    changed = timed("new run after one revised observation", score_run_create)
    assert not changed.reused
    rows = IndicatorScore.objects.filter(run=first.run).count()
    return {"timings": timings, "observations": observations, "result_rows": rows, "peak_mb": _peak_mb()}


def _fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=11)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/dugnad_bench_score")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--db-url")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    lines = ["| database | step | wall s | CPU s |", "|---|---|---:|---:|"]
    meta = {}
    with tempfile.TemporaryDirectory(prefix="dugnad-bench-score-") as tmp:
        for backend in ["sqlite"] if args.skip_postgres else ["sqlite", "postgresql"]:
            if backend == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            else:
                url = args.pg_url
                _fresh_postgres(url)
            print(f"{backend} …", file=sys.stderr)
            cmd = [sys.executable, __file__, "--worker", "--db-url", url, "--data-dir", str(Path(tmp) / "data"),
                   "--indicators", str(args.indicators), "--years", str(args.years)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            meta = result
            for t in result["timings"]:
                lines.append(f"| {backend} | {t['label']} | {t['wall']:.2f} | {t['cpu']:.2f} |")
            lines.append(f"| {backend} | peak RSS of the worker | {result['peak_mb']:.0f} MiB | |")
    print(f"\nMachine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
          f"{1 + COUNTIES + MUNICIPALITIES} units × {args.indicators} indicators × {args.years} years = "
          f"{meta.get('observations', 0):,} observations; {meta.get('result_rows', 0):,} indicator-score rows per run.\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
