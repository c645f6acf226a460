"""CLI commands: ``dugnad import FILE`` — all-or-nothing imports of observation files in any registered format.

``import_app`` is the typer group; ``dugnad import FILE`` reads FILE in the format detected from its name and
content (or ``--from``); ``dugnad import csv FILE`` stays as the alias of the tidy-CSV import. Other modules may
add their own import subcommands to the group.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.output import DefaultCommandGroup, console, err_console, fail

import_app = typer.Typer(
    name="import",
    cls=DefaultCommandGroup,
    help="Import observations from a file (any readable format: csv, xlsx, jsonstat, sdmx-csv, sdmx-ml, open-sdg, "
         "…) into the database: all-or-nothing, with revisions and a validation report. Usage: dugnad import FILE.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_HELP = """Import a file of observations. The format is detected from the file's name and content, or given with
--from (see dugnad convert --help for the formats). A tidy file (CSV or XLSX) has the columns unit, indicator,
year (or period), value, optional status and any further columns as dimensions (e.g. sex, age).

Units are matched by code for the period's year, indicators by code or framework:code. New values are inserted,
changed values become a new revision (the old one is kept, no longer current), unchanged rows are left alone;
importing the same file again changes nothing. On any problem nothing is written: every problem is listed with
its location (row with header = row 1, sheet, or key), column and value, and the command exits with code 1.

Values out of the bounds the web grid applies are refused too (a percentage below 0 or above 100).

With --map MAPPING.yaml the file is a real-world CSV (any columns, separator and encoding) and the mapping says
which columns give unit (by code, or by name within a county), indicator, period (year, date or interval),
value (with a scale such as 100 for shares), dimensions, row filters and missing markers; see docs/mapping.md.

Example: dugnad import data/bosatte.xlsx --dry-run --report-json report.json

Example: dugnad import barnehage.csv --map barnehage.yaml --dry-run
"""

_FILE = typer.Argument(..., help="The file to import (a directory for Open SDG).", exists=True, readable=True)
_DRY_RUN = typer.Option(False, "--dry-run", help="Validate and count against the database; write nothing.")
_REPORT = typer.Option(None, "--report-json", help="Also write the validation report as JSON here.", dir_okay=False)


def _help(text: str) -> str:
    """Help text with its paragraphs joined into lines."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


@import_app.command("file", help=_help(_HELP), hidden=True)
def import_file(
    file: Path = _FILE,
    from_format: str | None = typer.Option(None, "--from", help="Input format; detected from name/content if left out."),
    sheet: str | None = typer.Option(None, "--sheet", help="XLSX: the worksheet to read (default: the first)."),
    mapping: Path | None = typer.Option(None, "--map", help="A YAML mapping for a real-world CSV (see docs/mapping.md).",
                                        exists=True, dir_okay=False, readable=True),
    dry_run: bool = _DRY_RUN,
    report_json: Path | None = _REPORT,
) -> None:
    """Import a file of observations in any registered format (see help text)."""
    if mapping is not None:
        if from_format or sheet:
            raise fail("--map reads a CSV file with the mapping; leave out --from and --sheet")
        _import_mapped(file, mapping, dry_run=dry_run, report_json=report_json)
        return
    _import(file, from_format=from_format, options={"duplicates": False, **({"sheet": sheet} if sheet else {})},
            dry_run=dry_run,
            report_json=report_json)


@import_app.command("csv", help="Import a tidy CSV file: the same as dugnad import FILE --from csv (see there).")
def import_csv(
    file: Path = typer.Argument(..., help="Tidy CSV file (UTF-8; ',', ';' or tab separated).", exists=True,
                                dir_okay=False, readable=True),
    dry_run: bool = _DRY_RUN,
    report_json: Path | None = _REPORT,
) -> None:
    """Import a tidy CSV of observations (see help text)."""
    _import(file, from_format="csv", options={"duplicates": False}, dry_run=dry_run, report_json=report_json)


def _import(file: Path, *, from_format: str | None, options: dict, dry_run: bool, report_json: Path | None) -> None:
    """Read ``file`` with the format registry and import it through the observation store."""
    from dugnad.analytics.formats import InputSource, read_located
    from dugnad.common.files import file_sha256

    with console.status(f"Reading {file.name} …"):
        read = read_located(InputSource.of(file, name=file.name), format=from_format, **options)
        checksum = file_sha256(file) if file.is_file() else ""
    setup_django()
    from dugnad.observations.bounds import check_bounds
    from dugnad.observations.services import observations_import

    stat = file.stat()
    provenance = {"file": str(file.resolve()), "bytes": stat.st_size, "reader": read.format or "",
                  "modified": dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")}
    with console.status("Checking against the database …" if dry_run else "Importing …"):
        result = observations_import(table=read.table, source=file.name, kind=read.format or "file",
                                     checksum=checksum, provenance=provenance, report=read.report, dry_run=dry_run,
                                     check=check_bounds)
    _finish(file, result, report_json)


def _import_mapped(file: Path, mapping: Path, *, dry_run: bool, report_json: Path | None) -> None:
    """Read ``file`` with the mapping and import it through the observation store."""
    if not file.is_file():
        raise fail(f"{file}: --map reads a file, not a directory")
    setup_django()
    from dugnad.imports.mapped import mapping_import

    stat = file.stat()
    provenance = {"file": str(file.resolve()), "bytes": stat.st_size, "reader": "mapping",
                  "mapping_file": str(mapping.resolve()),
                  "modified": dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")}
    with console.status("Checking against the database …" if dry_run else "Importing …"):
        result = mapping_import(data=file.read_bytes(), name=file.name, mapping=mapping, dry_run=dry_run,
                                provenance=provenance)
    _finish(file, result, report_json)


def _finish(file: Path, result, report_json: Path | None) -> None:
    """Write the report (and its JSON), then succeed or fail with the summary line."""
    from dugnad.common.files import write_atomic

    if report_json is not None:
        write_atomic(report_json, result.report.as_json() + "\n")
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
