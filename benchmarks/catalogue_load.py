"""Benchmark: loading the shipped catalogue snapshot (bulk diff) vs. a naive per-row update_or_create baseline.

Runs on a fresh temporary SQLite database: bulk first load, bulk re-load (the ``dugnad init`` case: nothing to
change), then the naive baseline (``update_or_create`` per goal/target/framework/indicator and ``.set()`` for the
links) on a second fresh database. Prints a Markdown table.

    .venv/bin/python benchmarks/catalogue_load.py
"""

from __future__ import annotations

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


def naive_load(document: dict) -> None:
    """Baseline: one update_or_create per row and .set() per indicator's links."""
    from django.db import transaction

    from dugnad.catalogue.models import Framework, Goal, Indicator, Target

    with transaction.atomic():
        for g in document["goals"]:
            Goal.objects.update_or_create(number=g["number"], defaults={k: v for k, v in g.items() if k != "number"})
        for t in document["targets"]:
            Target.objects.update_or_create(
                code=t["code"], defaults={"goal_id": t["goal"], "title_nb": "", "title_en": "", "sort_key": t["sort_key"]}
            )
        frameworks = {}
        for f in document["frameworks"]:
            frameworks[f["code"]], _ = Framework.objects.update_or_create(
                code=f["code"], defaults={k: v for k, v in f.items() if k != "code"}
            )
        targets = {t.code: t for t in Target.objects.all()}
        for i in document["indicators"]:
            fields = {k: i[k] for k in ("name_nb", "name_nn", "name_en", "uri", "unit_of_measure", "source", "metadata")}
            framework = frameworks[i["framework"]]
            indicator, _ = Indicator.objects.update_or_create(framework=framework, code=i["code"], defaults=fields)
            indicator.goals.set(i["goals"])
            indicator.targets.set([targets[c] for c in i["targets"]])


def main() -> None:
    with tempfile.TemporaryDirectory() as bulk_dir:
        _setup(bulk_dir)
        from dugnad.catalogue.document import document_read
        from dugnad.catalogue.services import catalogue_load_snapshot

        t0 = time.perf_counter()
        document = document_read()
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        first = catalogue_load_snapshot()
        t_first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = catalogue_load_snapshot()
        t_again = time.perf_counter() - t0
        from django.db import connection

        connection.close()
        with tempfile.TemporaryDirectory() as naive_dir:
            from django.conf import settings

            settings.DATABASES["default"]["NAME"] = str(Path(naive_dir) / "naive.sqlite3")

            from bench_db import migrate

            migrate()
            t0 = time.perf_counter()
            naive_load(document)
            t_naive_first = time.perf_counter() - t0
            t0 = time.perf_counter()
            naive_load(document)
            t_naive_again = time.perf_counter() - t0
            connection.close()
    n = len(document["indicators"])
    print(f"Catalogue snapshot: {n} indicators, {len(document['frameworks'])} frameworks (SQLite, temp file)\n")
    print("| run | seconds | indicators/s |")
    print("|---|---:|---:|")
    print(f"| read snapshot (gunzip + JSON) | {t_read:.3f} | – |")
    for label, secs in (
        ("bulk load, empty database", t_first),
        ("bulk re-load, nothing changes (`dugnad init`)", t_again),
        ("naive update_or_create, empty database (baseline)", t_naive_first),
        ("naive update_or_create, re-load (baseline)", t_naive_again),
    ):
        print(f"| {label} | {secs:.2f} | {n / secs:,.0f} |")
    assert first.indicators.created == n and not again.changed


if __name__ == "__main__":
    main()
