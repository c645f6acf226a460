"""CLI command: ``dugnad mobilisation`` — the county mobilisation funnel."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, fail, print_rows

_HELP = """Show how far each municipality of a county has come in the mobilisation funnel.

Stages, in order: none, invited (a network invitation or a round to report in), in_network, submitted,
vlr_published, action_partner (partner in a network's joint action), target_set (a local 2030 target of its own).

Columns: unit (code), name, stage (the furthest reached), since (the date it was reached, YYYY-MM-DD),
stalled (yes/no: no stage reached for --stalled-days days, or none at all), days (since then),
next_steps (suggestions for stalled municipalities: a reminder, a network, a peer's good practice),
invited_on (the date of its newest pending network invitation, YYYY-MM-DD, or empty).

Example: dugnad mobilisation --county 46 --format csv
"""


def mobilisation(
    county: str = typer.Option(..., "--county", help="County code, e.g. 46."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
    stalled_days: int = typer.Option(60, "--stalled-days", min=1, help="Days without progress that count as stalled."),
) -> None:
    """Mobilisation funnel of a county (see help text)."""
    setup_django()
    from dugnad.publications.mobilisation import FUNNEL_COLUMNS, county_funnel, funnel_row
    from dugnad.units.selectors import unit_current

    unit = unit_current(county)
    if unit is None or unit.level.code != "county":
        raise fail(_("--county: ukjent fylke %(code)s") % {"code": county})
    entries = county_funnel(unit, stalled_days=stalled_days)
    print_rows(FUNNEL_COLUMNS, [funnel_row(e) for e in entries], fmt,
               title=_("Mobilisering i %(county)s") % {"county": unit.name})


def register(app: typer.Typer) -> None:
    """Add ``mobilisation`` to the main app."""
    app.command("mobilisation", help=_HELP)(mobilisation)
