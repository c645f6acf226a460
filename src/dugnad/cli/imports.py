"""CLI commands: ``dugnad import …`` — all-or-nothing imports of observation files into the database.

``import_app`` is the typer group; other modules may add their own import subcommands to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.output import console, err_console, fail

import_app = typer.Typer(
    name="import",
    help="Import observations into the database (all-or-nothing, with revisions and a validation report).",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_CSV_HELP = """Import a tidy CSV of observations: columns unit, indicator, year (or period), value, optional status and
any further columns as dimensions (e.g. sex, age).

Units are matched by code for the period's year, indicators by code or framework:code. New values are inserted,
changed values become a new revision (the old one is kept, no longer current), unchanged rows are left alone;
importing the same file again changes nothing. On any problem nothing is written: every problem is listed with
its row (header = row 1), column and value, and the command exits with code 1.

Example: dugnad import csv data/bosatte.csv --dry-run --report-json report.json
"""


def _checksum(path: Path) -> str:
    """SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@import_app.command("csv", help="\n\n".join(" ".join(p.split()) for p in _CSV_HELP.split("\n\n")))
def import_csv(
    file: Path = typer.Argument(..., help="Tidy CSV file (UTF-8; ',', ';' or tab separated).", exists=True,
                                dir_okay=False, readable=True),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count against the database; write nothing."),
    report_json: Path | None = typer.Option(None, "--report-json", help="Also write the validation report as JSON here.",
                                            dir_okay=False),
) -> None:
    """Import a tidy CSV of observations (see help text)."""
    from dugnad.analytics.tidy import read_tidy_csv

    with console.status(f"Reading {file.name} …"):
        read = read_tidy_csv(file)
        checksum = _checksum(file)
    setup_django()
    from dugnad.imports.services import observations_import

    stat = file.stat()
    provenance = {"file": str(file.resolve()), "bytes": stat.st_size, "reader": "tidy-csv",
                  "modified": dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")}
    with console.status("Checking against the database …" if dry_run else "Importing …"):
        result = observations_import(table=read.table, source=file.name, kind="csv", checksum=checksum,
                                     provenance=provenance, report=read.report, dry_run=dry_run)
    if report_json is not None:
        report_json.write_text(result.report.as_json() + "\n", encoding="utf-8")
    if result.report.problems:
        (console if result.ok else err_console).print(result.report.as_text(), highlight=False, markup=False,
                                                     soft_wrap=True)
    run = f" (import run {result.run.pk})" if result.run is not None else ""
    if not result.ok:
        raise fail(f"{file.name}: {result.summary()}{run}")
    console.print(f"{file.name}: {result.summary()}{run}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(import_app, name="import")
