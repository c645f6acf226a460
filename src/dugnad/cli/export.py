"""CLI commands: ``dugnad export …`` — current observations out of the database as files in any writable format.

``export_app`` is the typer group; ``dugnad export OUT`` writes in the format named by ``--to`` (or OUT's
extension); ``dugnad export csv --out OUT`` stays as the tidy-CSV alias. Every command builds an
``ExportRequest`` and calls ``export_observations``, so new selection options are added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.output import DefaultCommandGroup, console, err_console, fail

export_app = typer.Typer(name="export", cls=DefaultCommandGroup, no_args_is_help=True, rich_markup_mode="rich",
                         help="Export stored observations as files (csv, xlsx, jsonstat, sdmx-csv, sdmx-ml, open-sdg, "
                              "…). Usage: dugnad export OUT [--to FORMAT].")

_HELP = """Write all current observations (or those of the chosen units and indicators) as a file: tidy CSV or
XLSX (unit, indicator, period, one column per dimension, value, status) or any other writable format (see
dugnad convert --help). The format comes from --to or the file's extension.

Indicator codes shared by several frameworks are written framework:code, so the file imports again with
dugnad import. A tidy CSV gets a last column note saying where each value comes from: "Demodata – ikke ekte
tall" on generated demo values, the source and licence on real ones ("Kilde: Statistisk sentralbyrå (SSB),
tabell 06913 (lisens CC BY 4.0)"), "Registrert av kommunen" on values entered in the web. When any value comes
from a demo import, the command also warns. With --on the note of a non-demo row names the sources of the
indicator's current values. A filter that matches nothing is reported.

With --on YYYY-MM-DD the series are carried across reforms onto the units in force on that date (merges sum
counts and population-weight rates, splits share counts by population and keep rates) and a column
carried_from gives the original code(s) of each row (0602+0625+0711), empty when not carried; without --on
the observations are written as stored.

Example: dugnad export oslo.xlsx --unit 0301 --indicator 3.2.1

Example: dugnad export drammen.csv --unit 3301 --on 2024-01-01
"""

_UNIT = typer.Option(None, "--unit", help="Only this unit code (repeat for several).")
_INDICATOR = typer.Option(None, "--indicator", help="Only this indicator code or framework:code (repeat for several).")
_ON = typer.Option(None, "--on", metavar="YYYY-MM-DD",
                   help="Carry the series onto the units in force on this date (adds carried_from).")


@dataclass
class ExportRequest:
    """What to export and where: the selection options of every export command."""

    out: Path
    format: str
    units: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    on: str | None = None  # carry the series onto the units in force on this date (YYYY-MM-DD)


def _help(text: str) -> str:
    """Help text with its paragraphs joined into lines."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


@export_app.command("file", help=_help(_HELP), hidden=True)
def export_file(
    out: Path = typer.Argument(..., help="File (or directory, for open-sdg) to write (replaced)."),
    to: str | None = typer.Option(None, "--to", help="Output format; from the file's extension if left out."),
    unit: list[str] = _UNIT,
    indicator: list[str] = _INDICATOR,
    on: str | None = _ON,
) -> None:
    """Export current observations in any writable format (see help text)."""
    from dugnad.analytics.formats import FORMATS, writer_formats

    if to is None:
        suffix = out.suffix.lower().lstrip(".")
        to = next((n for n, spec in FORMATS.items() if spec.writer and suffix in spec.extensions), None)
        if to is None:
            raise fail(f"cannot tell the format of {out.name}; give --to (one of {', '.join(writer_formats())})")
    if to not in writer_formats():
        raise fail(f"unknown output format {to!r} (known: {', '.join(writer_formats())})")
    export_observations(ExportRequest(out=out, format=to, units=unit or [], indicators=indicator or [], on=on))


@export_app.command("csv", help="Export as tidy CSV: the same as dugnad export OUT --to csv (see there).")
def export_csv(
    out: Path = typer.Option(..., "--out", help="CSV file to write (replaced).", dir_okay=False),
    unit: list[str] = _UNIT,
    indicator: list[str] = _INDICATOR,
    on: str | None = _ON,
) -> None:
    """Export current observations as tidy CSV (see help text)."""
    export_observations(ExportRequest(out=out, format="csv", units=unit or [], indicators=indicator or [], on=on))


def export_observations(request: ExportRequest) -> None:
    """Select the observations of ``request``, warn about filters that match nothing, and write the file."""
    setup_django()
    import pyarrow as pa
    import pyarrow.compute as pc

    from dugnad.analytics.formats import write_table
    from dugnad.analytics.report import InputError
    from dugnad.analytics.types import DEMO_LABEL_NB
    from dugnad.observations.selectors import observations_table, provenance_notes

    try:
        if request.on:
            table = _carried_table(request.on, units=request.units or None,
                                   indicators=request.indicators or None)
        else:
            table = observations_table(units=request.units or None, indicators=request.indicators or None,
                                       with_provenance=True)
    except ValueError as exc:
        raise fail(str(exc)) from None
    _warn_unmatched(table, request)
    demo = table.column("is_demo")
    has_demo = bool(pc.any(demo).as_py()) if table.num_rows else False
    notes = provenance_notes(table) if request.format == "csv" else None
    table = table.drop_columns([c for c in ("revision", "is_current", "import_run", "is_demo") if c in table.column_names])
    if notes is not None and table.num_rows:  # the tidy CSV writer puts it last, after carried_from
        table = table.append_column("note", notes)
    try:
        write_table(table, request.out, format=request.format)
    except InputError as exc:
        err_console.print(exc.report.as_text(), highlight=False, markup=False)
        raise fail(f"could not write {request.out}; nothing was written.") from exc
    except (OSError, ValueError) as exc:
        raise fail(f"could not write {request.out}: {exc}") from exc
    console.print(f"{request.out}: {table.num_rows} observation(s) written.", highlight=False)
    if has_demo:
        err_console.print(f"[bold yellow]{DEMO_LABEL_NB}[/] – {pc.sum(pc.cast(demo, pa.int64())).as_py()} "
                          "row(s) come from demo imports (see the note column).", highlight=False)


def _warn_unmatched(table, request: ExportRequest) -> None:
    """Warn about each --unit/--indicator value with no observation in the export, and about an empty export."""
    units = set(table.column("unit").to_pylist()) if table.num_rows else set()
    indicators = set(table.column("indicator").to_pylist()) if table.num_rows else set()
    for code in request.units:
        if code not in units:
            err_console.print(f"Warning: --unit {code} matches no current observation.", highlight=False)
    for code in request.indicators:
        if code not in indicators and code.split(":")[-1] not in {i.split(":")[-1] for i in indicators}:
            err_console.print(f"Warning: --indicator {code} matches no current observation.", highlight=False)
    if table.num_rows == 0:
        err_console.print("Warning: no observations to export; the file has a header only.", highlight=False)


def _carried_table(on: str, *, units, indicators):
    """The observations carried onto the units in force on ``on`` (``observations_carried``), with ``carried_from``
    moved after the note-free columns; a bad date or a unit code not in force on it is a located error."""
    import datetime as dt

    from dugnad.observations.selectors import observations_carried
    from dugnad.units.selectors import carry_context

    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        raise fail(f"--on: not a date (YYYY-MM-DD): {on!r}") from None
    context = carry_context(on=day)
    unknown = sorted(set(units or ()) - context.valid_codes)
    if unknown:
        raise fail(f"--unit: no unit with code {', '.join(unknown)} is in force on {day.isoformat()}")
    carried = observations_carried(on=day, units=units, indicators=indicators, with_provenance=True, context=context)
    if carried.unmapped:
        err_console.print(f"{len(carried.unmapped)} code(s) reach no unit in force on {day.isoformat()} and are left "
                          f"out: {', '.join(carried.unmapped[:10])}{' …' if len(carried.unmapped) > 10 else ''}",
                          highlight=False)
    table = carried.table.drop_columns(["carry_weighting"])
    origin = table.column("carried_from")
    return table.drop_columns(["carried_from"]).append_column("carried_from", origin)




def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(export_app, name="export")
