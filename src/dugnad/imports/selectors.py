"""Reads of import runs: recent runs, the runs behind observations, and whether demo data is loaded."""

from __future__ import annotations

from django.db.models import QuerySet

from dugnad.imports.models import ImportRun, RunStatus


def import_runs(*, kind: str | None = None, status: RunStatus | str | None = None, limit: int = 50) -> QuerySet:
    """The latest import runs, newest first, optionally of one kind and status."""
    runs = ImportRun.objects.select_related("user").order_by("-started_at", "-id")
    if kind:
        runs = runs.filter(kind=kind)
    if status:
        runs = runs.filter(status=str(status))
    return runs[:limit]


def import_run_latest(*, source: str, kind: str | None = None) -> ImportRun | None:
    """The latest successful or no-op run of a source (e.g. to show when a table was last synced)."""
    runs = ImportRun.objects.filter(source=source, status__in=[RunStatus.OK, RunStatus.NOOP])
    if kind:
        runs = runs.filter(kind=kind)
    return runs.order_by("-started_at", "-id").first()


def has_demo_data() -> bool:
    """Whether any observations come from a demo import (the UI then shows «Demodata – ikke ekte tall»)."""
    return ImportRun.objects.filter(is_demo=True, status=RunStatus.OK).exists()


def demo_import_exists() -> bool:
    """Whether any import run is marked as demo data (the pages then show the demo label)."""
    return ImportRun.objects.filter(is_demo=True).exists()
