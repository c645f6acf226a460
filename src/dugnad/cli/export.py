"""CLI commands: ``dugnad export …`` — current observations out of the database as files.

``export_app`` is the typer group; other modules may add their own export subcommands to it.
"""

from __future__ import annotations

from pathlib import Path

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.output import console, err_console, fail

export_app = typer.Typer(name="export", help="Export stored observations as files.", no_args_is_help=True,
                         rich_markup_mode="rich")

_CSV_HELP = """Write all current observations as a tidy CSV: unit, indicator, period, one column per dimension,
value, status (UTF-8, header row, ',' separated, empty value = none).

Indicator codes shared by several frameworks are written framework:code, so the file imports again with
dugnad import csv. When any value comes from a demo import, the command warns "Demodata – ikke ekte tall" and
the file gets a last column note with that text on every demo row.

With --on YYYY-MM-DD the series are carried across reforms onto the units in force on that date (merges sum
counts and population-weight rates, splits share counts by population and keep rates) and a column
carried_from gives the original code(s) of each row (0602+0625+0711), empty when not carried; without --on
the observations are written as stored.

Example: dugnad export csv --out oslo.csv --unit 0301 --indicator 3.2.1

Example: dugnad export csv --out drammen.csv --unit 3301 --on 2024-01-01
"""


@export_app.command("csv", help="\n\n".join(" ".join(p.split()) for p in _CSV_HELP.split("\n\n")))
def export_csv(
    out: Path = typer.Option(..., "--out", help="CSV file to write (replaced).", dir_okay=False),
    unit: list[str] = typer.Option(None, "--unit", help="Only this unit code (repeat for several)."),
    indicator: list[str] = typer.Option(None, "--indicator",
                                        help="Only this indicator code or framework:code (repeat for several)."),
    on: str = typer.Option(None, "--on", metavar="YYYY-MM-DD",
                           help="Carry the series onto the units in force on this date (adds carried_from)."),
) -> None:
    """Export current observations as tidy CSV (see help text)."""
    setup_django()
    import pyarrow as pa
    import pyarrow.compute as pc

    from dugnad.analytics.tidy import write_tidy_csv
    from dugnad.analytics.types import DEMO_LABEL_NB
    from dugnad.observations.selectors import observations_table

    try:
        if on:
            table = _carried_table(on, units=unit or None, indicators=indicator or None)
        else:
            table = observations_table(units=unit or None, indicators=indicator or None, with_provenance=True)
    except ValueError as exc:
        raise fail(str(exc)) from None
    demo = table.column("is_demo")
    has_demo = bool(pc.any(demo).as_py()) if table.num_rows else False
    table = table.drop_columns([c for c in ("revision", "is_current", "import_run", "is_demo") if c in table.column_names])
    if has_demo:
        table = table.append_column("note", pc.if_else(demo, DEMO_LABEL_NB, pa.scalar("", pa.string())))
    write_tidy_csv(table, out)
    console.print(f"{out}: {table.num_rows} observation(s) written.", highlight=False)
    if has_demo:
        err_console.print(f"[bold yellow]{DEMO_LABEL_NB}[/] – {pc.sum(pc.cast(demo, pa.int64())).as_py()} "
                          "row(s) come from demo imports (see the note column).", highlight=False)


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
