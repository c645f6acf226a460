"""CLI command ``dugnad convert``: read a statistics file into the tidy table and write it in another format."""

from __future__ import annotations

from pathlib import Path

import typer

from dugnad.cli.language import _
from dugnad.cli.output import console, err_console, fail

_FORMATS_HELP = "csv, xlsx, jsonstat, sdmx-ml, sdmx-csv, open-sdg, datapackage"


def _options(pairs: list[str], flag: str) -> dict[str, object]:
    """``KEY=VALUE`` pairs as a dictionary (``true``/``false`` become booleans)."""
    options: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(_("%(option)s må ha formen NØKKEL=VERDI, fikk %(value)s") % {"option": flag, "value": repr(pair)})
        options[key.strip()] = {"true": True, "false": False}.get(value.strip().lower(), value.strip())
    return options


def convert(
    source: Path = typer.Argument(..., metavar="INPUT", help="Input file, or directory (Open SDG / data package).",
                                  show_default=False),
    to: str = typer.Option(..., "--to", help=f"Output format: {_FORMATS_HELP}."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (or directory for open-sdg and datapackage)."),
    from_format: str | None = typer.Option(None, "--from", help="Input format; detected from extension/content if left out."),
    sheet: str | None = typer.Option(None, "--sheet", help="XLSX: the worksheet to read (default: the first)."),
    report_json: Path | None = typer.Option(None, "--report-json", help="Also write the validation report as JSON here."),
    read_option: list[str] = typer.Option([], "--read-option", help="Reader option KEY=VALUE, e.g. unit=0 or skip_absent=true."),
    write_option: list[str] = typer.Option([], "--write-option", help="Writer option KEY=VALUE, e.g. flavour=generic."),
) -> None:
    """Convert statistics between formats through the tidy table (no database needed).

    Reads INPUT and prints its validation report. Warnings do not stop the conversion; errors do
    (exit code 1, nothing written). The output is written atomically (temporary file + rename).

    Examples:

      dugnad convert 07221.json --to csv --out 07221.csv

      dugnad convert data.xlsx --sheet Ark1 --to jsonstat --out data.json --report-json report.json

      dugnad convert data.csv --to sdmx-ml --out data.xml --write-option flavour=generic

      dugnad convert data.csv --to open-sdg --out site-data/
    """
    from dugnad.analytics.formats import read_table, write_table, writer_formats
    from dugnad.analytics.report import InputError

    if to not in writer_formats():
        raise fail(_("ukjent utformat %(format)s (kjente: %(known)s)") % {
            "format": repr(to), "known": ", ".join(writer_formats())})
    options = _options(read_option, "--read-option")
    if sheet:
        options["sheet"] = sheet
    try:
        with err_console.status(_("Leser %(file)s …") % {"file": source}):
            result = read_table(source, format=from_format, **options)
    except InputError as exc:
        _show_report(exc.report, report_json)
        raise fail(_("%(file)s har %(n)s feil; ingenting er skrevet.") % {"file": source, "n": len(exc.report.errors)}) from exc
    _show_report(result.report, report_json)
    try:
        with err_console.status(_("Skriver %(file)s …") % {"file": out}):
            write_table(result.table, out, format=to, **_options(write_option, "--write-option"))
    except InputError as exc:
        err_console.print(exc.report.as_text(), highlight=False, markup=False)
        raise fail(_("kunne ikke skrive %(file)s; ingenting er skrevet.") % {"file": out}) from exc
    except (OSError, ValueError) as exc:
        raise fail(_("kunne ikke skrive %(file)s: %(error)s") % {"file": out, "error": exc}) from exc
    columns = ", ".join(result.table.column_names)
    console.print(_("Skrev %(n)s rader (%(columns)s) som %(format)s til %(file)s") % {
        "n": result.table.num_rows, "columns": columns, "format": to, "file": out}, highlight=False)


def _show_report(report, report_json: Path | None) -> None:
    """Print problems (if any) to stderr and write the JSON report when asked."""
    if report.problems:
        err_console.print(report.as_text(), highlight=False, markup=False)
    if report_json is not None:
        from dugnad.common.files import write_atomic

        write_atomic(report_json, report.as_json())


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("convert")(convert)
