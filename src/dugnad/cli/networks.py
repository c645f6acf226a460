"""CLI commands: ``dugnad networks …`` — county-led and thematic networks."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, print_rows

networks_app = typer.Typer(
    name="networks",
    help="Networks of municipalities and organisations: list them.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_LIST_HELP = """List every network with its kind, lead unit and counts.

Columns: id, name, kind (county/thematic), lead_unit (code), members, coordinators (user names),
joint_actions, indicators (size of the network's indicator set; 0 means every scored indicator).

Example: dugnad networks list --format csv
"""


@networks_app.command("list", help=_LIST_HELP)
def list_networks(fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv.")) -> None:
    """List networks (see help text)."""
    setup_django()
    from dugnad.networks.selectors import NETWORK_COLUMNS, network_row, networks_listed

    print_rows(NETWORK_COLUMNS, [network_row(n) for n in networks_listed()], fmt, title=_("Nettverk"))


def register(app: typer.Typer) -> None:
    """Add the ``networks`` command group."""
    app.add_typer(networks_app)
