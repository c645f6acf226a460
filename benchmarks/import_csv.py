"""Benchmark: importing a 1,000,000-row tidy CSV with the import service vs. a naive row-by-row ORM insert.

Generates ``unit,indicator,year,value`` rows (400 units × 50 indicators × 50 years by default), then for
SQLite (fresh temporary file) and PostgreSQL (fresh database ``dugnad_bench``) runs, each in its own process:

* **service**: ``read_located`` (the registry's CSV reader) + ``observations_import`` into an empty store
  (end-to-end, as ``dugnad import csv``),
  then the same file again (a no-op: every row diffed against the 1M stored rows);
* **naive**: per row ``Unit.objects.get`` + ``Indicator.objects.get`` + a current-row lookup +
  ``Observation.objects.create`` in one transaction, on the first ``--baseline-rows`` rows only (the full file
  would take far too long), reported as rows/s.

Prints a Markdown table (rows/s, seconds, peak RSS of the worker process).

    .venv/bin/python benchmarks/import_csv.py                 # both databases, a few minutes on an idle machine
    .venv/bin/python benchmarks/import_csv.py --rows 100000 --skip-postgres
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS, INDICATORS = 400, 50


def generate(path: Path, rows: int) -> None:
    """Write a tidy CSV of ``rows`` rows: UNITS units × INDICATORS indicators × as many years as needed."""
    years = max(1, rows // (UNITS * INDICATORS))
    with path.open("w", encoding="utf-8") as out:
        out.write("unit,indicator,year,value\n")
        n = 0
        for u in range(UNITS):
            unit = f"{1000 + u:04d}"
            for i in range(INDICATORS):
                for y in range(years):
                    if n == rows:
                        return
                    out.write(f"{unit},B{i:02d},{1975 + y},{(u * 7 + i * 13 + y * 3) % 1000 / 10}\n")
                    n += 1


def _setup(db_url: str, data_dir: str) -> None:
    """Start Django on the given database, migrate it and create the benchmark units and indicators."""
    os.environ.update({"DUGNAD_DATABASE_URL": db_url, "DUGNAD_DATA_DIR": data_dir, "DUGNAD_DEBUG": "0",
                       "DUGNAD_SECRET_KEY": "benchmark-only", "DJANGO_SETTINGS_MODULE": "dugnad.config.settings"})
    import datetime as dt

    import django

    django.setup()

    from bench_db import migrate

    from dugnad.catalogue.models import Framework, Indicator
    from dugnad.units.models import Level, Unit

    migrate()
    level = Level.objects.create(code="municipality", name_nb="Kommune", rank=2)
    Unit.objects.bulk_create(Unit(code=f"{1000 + u:04d}", name=f"Kommune {u}", level=level,
                                  valid_from=dt.date(1900, 1, 1)) for u in range(UNITS))
    framework = Framework.objects.create(code="bench", name="Benchmark")
    Indicator.objects.bulk_create(Indicator(framework=framework, code=f"B{i:02d}", name_nb=f"Indikator {i}")
                                  for i in range(INDICATORS))


def _peak_mb() -> float:
    """Peak resident memory of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_service(csv_path: Path) -> dict:
    """Import the file twice with the service (empty store, then no-op); timings and peak memory."""
    from dugnad.analytics.formats import read_located
    from dugnad.observations.services import observations_import

    base = _peak_mb()
    runs = []
    for label in ("empty store", "re-import (no-op)"):
        start, cpu = time.perf_counter(), time.process_time()
        read = read_located(csv_path, format="csv", duplicates=False)
        parsed = time.perf_counter()
        result = observations_import(table=read.table, source=csv_path.name, kind="csv", report=read.report)
        done = time.perf_counter()
        assert result.ok, result.report.as_text()[:2000]
        runs.append({"label": label, "rows": read.table.num_rows, "read_s": parsed - start,
                     "import_s": done - parsed, "total_s": done - start, "status": result.status.value,
                     "cpu_s": time.process_time() - cpu,
                     "inserted": result.rows_inserted})
    return {"runs": runs, "peak_mb": _peak_mb(), "base_mb": base}


def worker_naive(csv_path: Path, limit: int) -> dict:
    """Row-by-row ORM import of the first ``limit`` rows in one transaction; timings and peak memory."""
    import csv

    from django.db import transaction

    from dugnad.catalogue.models import Indicator
    from dugnad.observations.models import ImportRun, Observation
    from dugnad.units.models import Unit

    base = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    n = 0
    with transaction.atomic(), csv_path.open(encoding="utf-8") as handle:
        run = ImportRun.objects.create(kind="csv", source=csv_path.name)
        for record in csv.DictReader(handle):
            if n == limit:
                break
            unit = Unit.objects.get(code=record["unit"])
            indicator = Indicator.objects.get(code=record["indicator"])
            existing = Observation.objects.filter(unit=unit, indicator=indicator, period=record["year"],
                                                  dimension_key="", is_current=True).first()
            value = float(record["value"]) if record["value"] else None
            if existing is None:
                Observation.objects.create(unit=unit, indicator=indicator, period=record["year"], value=value,
                                           import_run=run)
            n += 1
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    run_info = {"label": f"naive ORM ({n:,} rows)", "rows": n, "read_s": 0.0, "import_s": seconds, "total_s": seconds,
                "status": "ok", "inserted": n, "cpu_s": cpu_s}
    return {"runs": [run_info], "peak_mb": _peak_mb(), "base_mb": base}


def worker_floor(csv_path: Path) -> dict:
    """The floor: ``csv.reader`` + one ``executemany`` into the same table (same indexes, same connection settings:
    WAL, foreign keys on, the import's 256 MiB page cache), codes looked up in two dicts, constant columns as SQL
    literals; one transaction, indexes kept."""
    import csv
    import sqlite3

    from django.db import connection, transaction

    from dugnad.catalogue.models import Indicator
    from dugnad.observations.models import ImportRun
    from dugnad.units.models import Unit

    base = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    units = dict(Unit.objects.values_list("code", "id"))
    indicators = dict(Indicator.objects.values_list("code", "id"))
    with transaction.atomic(), csv_path.open(encoding="utf-8", newline="") as handle:
        run = ImportRun.objects.create(kind="csv", source=csv_path.name)
        reader = csv.reader(handle)
        next(reader)
        rows = ((units[u], indicators[i], y, float(v) if v else None) for u, i, y, v in reader)
        sql = ("INSERT INTO observations_observation (unit_id, indicator_id, period, dimension_key, dimensions, value, "
               f"status, revision, is_current, import_run_id, recorded_at) VALUES (?, ?, ?, '', '{{}}', ?, 'ok', 1, 1, "
               f"{run.pk}, '2026-01-01 00:00:00')")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # the page cache the import uses too (256 MiB)
            sqlite3.Cursor.executemany(cursor.cursor, sql, rows)
            n = cursor.cursor.rowcount
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    run_info = {"label": "floor: csv.reader + executemany", "rows": n, "read_s": 0.0, "import_s": seconds,
                "total_s": seconds, "status": "ok", "inserted": n, "cpu_s": cpu_s}
    return {"runs": [run_info], "peak_mb": _peak_mb(), "base_mb": base}


def _fresh_postgres(url: str) -> None:
    """Drop and create the benchmark database named in ``url``."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _spawn(kind: str, backend: str, csv_path: Path, work: Path, args: argparse.Namespace) -> dict:
    """Run one worker in a fresh process on a fresh database and return its JSON result."""
    if backend == "sqlite":
        db = work / f"{kind}.sqlite3"
        db.unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    else:
        url = args.pg_url
        _fresh_postgres(url)
    cmd = [sys.executable, __file__, "--worker", kind, "--csv", str(csv_path), "--db-url", url,
           "--data-dir", str(work / "data"), "--baseline-rows", str(args.baseline_rows)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Generate the file, run every worker, print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/dugnad_bench")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--tmp-dir", help="Directory for the CSV and the SQLite file (default: the system temp dir).")
    parser.add_argument("--worker", choices=["service", "naive", "floor"])
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--db-url")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    if args.worker:
        _setup(args.db_url, args.data_dir)
        workers = {"service": lambda: worker_service(args.csv), "floor": lambda: worker_floor(args.csv),
                   "naive": lambda: worker_naive(args.csv, args.baseline_rows)}
        result = workers[args.worker]()
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="dugnad-bench-", dir=args.tmp_dir) as tmp:
        work = Path(tmp)
        csv_path = work / "observations.csv"
        start = time.perf_counter()
        generate(csv_path, args.rows)
        size = csv_path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size:.1f} MB) in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        backends = ["sqlite"] if args.skip_postgres else ["sqlite", "postgresql"]
        lines = ["| database | run | rows | read s | import s | total s | rows/s (wall) | CPU s | rows/CPU-s | peak RSS MiB |",
                 "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for backend in backends:
            for kind in ("service", "floor", "naive") if backend == "sqlite" else ("service", "naive"):
                print(f"{backend}: {kind} …", file=sys.stderr)
                result = _spawn(kind, backend, csv_path, work, args)
                for run in result["runs"]:
                    rate = run["rows"] / run["total_s"] if run["total_s"] else 0
                    print(f"  {run['label']}: {run['rows']:,} rows in {run['total_s']:.1f} s = {rate:,.0f} rows/s, "
                          f"peak {result['peak_mb']:.0f} MiB", file=sys.stderr)
                    cpu_rate = run["rows"] / run["cpu_s"] if run["cpu_s"] else 0
                    lines.append(f"| {backend} | {run['label']} | {run['rows']:,} | {run['read_s']:.2f} | "
                                 f"{run['import_s']:.2f} | {run['total_s']:.2f} | {rate:,.0f} | {run['cpu_s']:.2f} | "
                                 f"{cpu_rate:,.0f} | {result['peak_mb']:.0f} |")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nMachine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"load average at the end {load}; file {args.rows:,} rows ({size:.1f} MB) in {work.parent}.\n")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
