"""CLI commands: ``dugnad requests …`` — requests across levels (what municipalities and counties ask of others)."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, fail, print_rows

requests_app = typer.Typer(
    name="requests",
    help="Requests across levels: what municipalities and counties ask the county or the state to act on.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_LIST_HELP = """List requests across levels, newest first.

Columns: id, from_unit (code name), to_level (kommune/fylke/stat), targets (SDG target codes), status
(submitted/received/answered/followed_up/declined).

Example: dugnad requests list --to-level stat --format csv
"""


@requests_app.command("list", help=_LIST_HELP)
def list_requests(
    to_level: str = typer.Option("", "--to-level", help="Only requests to this level: kommune, fylke or stat."),
    unit: str = typer.Option("", "--unit", help="Only requests from the unit with this code (4601 for Bergen)."),
    status: str = typer.Option("", "--status", help="Only requests with this status."),
    target: str = typer.Option("", "--target", help="Only requests naming this SDG target (e.g. 11.6)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """List requests (see help text)."""
    setup_django()
    from dugnad.requests.selectors import REQUEST_COLUMNS, request_row, requests_list
    from dugnad.requests.vocab import RequestLevel, RequestStatus
    from dugnad.units.selectors import unit_current

    if to_level and to_level not in RequestLevel.values:
        raise fail(_("%(option)s: ukjent verdi %(value)s.") % {"option": "--to-level", "value": repr(to_level)})
    if status and status not in RequestStatus.values:
        raise fail(_("%(option)s: ukjent verdi %(value)s.") % {"option": "--status", "value": repr(status)})
    from_unit = None
    if unit:
        from_unit = unit_current(unit)
        if from_unit is None:
            raise fail(_("Ukjent enhet: %(unit)s (ingen gjeldende enhet med denne koden).") % {"unit": repr(unit)})
    rows = [request_row(r) for r in requests_list(to_level=to_level or None, from_unit=from_unit, status=status or None,
                                                   target_code=target or None)]
    print_rows(REQUEST_COLUMNS, rows, fmt, title=_("Henvendelser mellom nivåer"))


def register(app: typer.Typer) -> None:
    """Add the ``requests`` command group."""
    app.add_typer(requests_app)
