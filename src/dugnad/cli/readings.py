"""CLI commands: ``dugnad readings …`` — the shared local readings of the SDG targets."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, fail, print_rows

readings_app = typer.Typer(
    name="readings",
    help="Shared readings of the SDG targets: what each target means nationally, in a county and in a municipality.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_LIST_HELP = """List the shared readings of the SDG targets, in official target order, then by unit.

Columns: id, target (SDG target code), unit (unit code), level (national/county/municipality), state
(proposed/under_discussion/agreed), version (the latest version's number).

Example: dugnad readings list --target 11.6 --format csv
"""


@readings_app.command("list", help=_LIST_HELP)
def list_readings(
    target: str = typer.Option("", "--target", help="Only readings of this SDG target (e.g. 11.6)."),
    unit: str = typer.Option("", "--unit", help="Only readings of the unit with this code (46 for Vestland)."),
    state: str = typer.Option("", "--state", help="Only readings in this state: proposed, under_discussion, agreed."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """List readings (see help text)."""
    setup_django()
    from dugnad.readings.selectors import READING_COLUMNS, reading_row, readings_list, target_by_code
    from dugnad.readings.vocab import ReadingState
    from dugnad.units.selectors import unit_current

    if target and target_by_code(target) is None:
        raise fail(_("%(option)s: ukjent verdi %(value)s.") % {"option": "--target", "value": repr(target)})
    if state and state not in ReadingState.values:
        raise fail(_("%(option)s: ukjent verdi %(value)s.") % {"option": "--state", "value": repr(state)})
    found_unit = None
    if unit:
        found_unit = unit_current(unit)
        if found_unit is None:
            raise fail(_("Ukjent enhet: %(unit)s (ingen gjeldende enhet med denne koden).") % {"unit": repr(unit)})
    rows = [reading_row(r) for r in readings_list(target_code=target or None, unit=found_unit, state=state or None)]
    print_rows(READING_COLUMNS, rows, fmt, title=_("Felles lesninger av delmålene"))


def register(app: typer.Typer) -> None:
    """Add the ``readings`` command group."""
    app.add_typer(readings_app)
