"""Benchmark: the mapping import (``dugnad import FILE --map``) of a 1,000,000-row real-world-like CSV.

Generates a semicolon-separated file with Norwegian column names (``Kommune;År;Kjønn;Måltall;Andel``): units
by *name*, periods as dates (``2021-01-01``), indicators by label, shares 0–1 (scale 100), 1 % ``..`` markers,
and a ``Kjønn`` column the mapping filters on. Then, each in a fresh process on a fresh SQLite database (the
same 400 units × 50 indicators as ``import_csv.py``):

* **mapped read**: ``read_mapped`` with the registry's name lookup (file → tidy rows, no store);
* **mapping import**: ``mapping_import`` end to end into an empty store (what ``dugnad import FILE --map`` does),
  then the same again (a no-op);
* **baseline**: the plain import (``read_located`` + ``observations_import``) of the equivalent tidy CSV.

Prints a Markdown table (rows/s wall and per CPU second, peak RSS).

    .venv/bin/python benchmarks/import_mapping.py --tmp-dir /dev/shm
    .venv/bin/python benchmarks/import_mapping.py --rows 100000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_csv import INDICATORS, ROOT, UNITS, _peak_mb, _setup
from import_csv import generate as generate_tidy

MAPPING = """
version: 1
source: {name: "Benchmark", licence: "CC BY 4.0"}
file: {encoding: utf-8, separator: ";"}
unit: {column: Kommune, by: name, aliases: {"Hele landet": "0"}}
indicator:
  column: Måltall
  values: {VALUES}
period: {column: År, rule: year}
value: {column: Andel, scale: 100, decimal: ","}
filter: {Kjønn: ["Kjønn samlet", "Begge kjønn"]}
missing: {"..": missing, ":": confidential, "": missing}
""".replace("VALUES", ", ".join(f'"Indikator {i}": "bench:B{i:02d}"' for i in range(INDICATORS)))


def generate(path: Path, rows: int) -> None:
    """Write the real-world-like CSV: the same keys as ``import_csv.generate``, values as shares with a comma."""
    years = max(1, rows // (UNITS * INDICATORS))
    with path.open("w", encoding="utf-8") as out:
        out.write("Kommune;År;Kjønn;Måltall;Andel\n")
        n = 0
        for u in range(UNITS):
            for i in range(INDICATORS):
                for y in range(years):
                    if n == rows:
                        return
                    value = ".." if n % 100 == 99 else f"{(u * 7 + i * 13 + y * 3) % 1000 / 1000}".replace(".", ",")
                    out.write(f"Kommune {u};{1975 + y}-01-01;Kjønn samlet;Indikator {i};{value}\n")
                    n += 1


def worker(kind: str, csv_path: Path, mapping_path: Path) -> dict:
    """Run one kind of import (see the module doc); timings and peak memory."""
    from dugnad.analytics.formats import read_located
    from dugnad.analytics.formats.mapping import load_mapping, read_mapped
    from dugnad.imports.mapped import mapping_import
    from dugnad.observations.services import observations_import
    from dugnad.units.selectors import unit_name_lookup

    runs = []
    if kind == "read":
        start, cpu = time.perf_counter(), time.process_time()
        mapping = load_mapping(mapping_path)
        read = read_mapped(csv_path.read_bytes(), mapping, file=csv_path.name, names=unit_name_lookup())
        assert read.report.ok, read.report.as_text()[:2000]
        runs.append({"label": "mapped read (file → tidy rows)", "rows": read.table.num_rows,
                     "total_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu})
    elif kind == "mapping":
        for label in ("mapping import, empty store", "mapping import again (no-op)"):
            start, cpu = time.perf_counter(), time.process_time()
            result = mapping_import(data=csv_path.read_bytes(), name=csv_path.name, mapping=mapping_path)
            assert result.ok, result.report.as_text()[:2000]
            runs.append({"label": label, "rows": result.rows_total, "total_s": time.perf_counter() - start,
                         "cpu_s": time.process_time() - cpu})
    else:
        for label in ("baseline: plain import of the tidy CSV, empty store", "baseline: plain import again (no-op)"):
            start, cpu = time.perf_counter(), time.process_time()
            read = read_located(csv_path, format="csv", duplicates=False)
            result = observations_import(table=read.table, source=csv_path.name, kind="csv", report=read.report)
            assert result.ok, result.report.as_text()[:2000]
            runs.append({"label": label, "rows": result.rows_total, "total_s": time.perf_counter() - start,
                         "cpu_s": time.process_time() - cpu})
    return {"runs": runs, "peak_mb": _peak_mb()}


def _bench_setup(db_url: str, data_dir: str) -> None:
    """``import_csv._setup`` plus the country unit the aliases name."""
    import datetime as dt

    _setup(db_url, data_dir)
    from dugnad.units.models import Level, Unit

    level = Level.objects.create(code="country", name_nb="Land", rank=0)
    Unit.objects.create(code="0", name="Norge", level=level, valid_from=dt.date(1900, 1, 1))


def main() -> None:
    """Generate the files, run every worker in its own process, print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tmp-dir", help="Directory for the files and the SQLite databases.")
    parser.add_argument("--worker", choices=["read", "mapping", "plain"])
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--mapping", type=Path)
    parser.add_argument("--db-url")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    if args.worker:
        _bench_setup(args.db_url, args.data_dir)
        print(json.dumps(worker(args.worker, args.csv, args.mapping)))
        return
    with tempfile.TemporaryDirectory(prefix="dugnad-bench-map-", dir=args.tmp_dir) as tmp:
        work = Path(tmp)
        real, tidy, mapping = work / "real.csv", work / "tidy.csv", work / "mapping.yaml"
        generate(real, args.rows)
        generate_tidy(tidy, args.rows)
        mapping.write_text(MAPPING, encoding="utf-8")
        lines = ["| run | rows | total s | rows/s (wall) | CPU s | rows/CPU-s | peak RSS MiB |",
                 "|---|---:|---:|---:|---:|---:|---:|"]
        for kind in ("read", "mapping", "plain"):
            db = work / f"{kind}.sqlite3"
            cmd = [sys.executable, __file__, "--worker", kind, "--csv", str(tidy if kind == "plain" else real),
                   "--mapping", str(mapping), "--db-url", f"sqlite:///{db}", "--data-dir", str(work / "data")]
            print(f"{kind} …", file=sys.stderr)
            out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
            result = json.loads(out.stdout.strip().splitlines()[-1])
            for run in result["runs"]:
                rate, cpu_rate = run["rows"] / run["total_s"], run["rows"] / run["cpu_s"]
                print(f"  {run['label']}: {rate:,.0f} rows/s", file=sys.stderr)
                lines.append(f"| {run['label']} | {run['rows']:,} | {run['total_s']:.2f} | {rate:,.0f} | "
                             f"{run['cpu_s']:.2f} | {cpu_rate:,.0f} | {result['peak_mb']:.0f} |")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nMachine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"load average at the end {load}; {args.rows:,} rows ({real.stat().st_size / 1e6:.1f} MB).\n")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
