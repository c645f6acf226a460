"""The ``dugnad`` command: assembles the command groups defined in sibling modules."""

from __future__ import annotations

import typer

from dugnad.cli import (
    actions,
    backup,
    catalogue,
    convert,
    export,
    imports,
    maps,
    networks,
    platform,
    practices,
    publish,
    rollup,
    rounds,
    score,
    sync,
    units,
)

app = typer.Typer(
    name="dugnad",
    help="Dugnad: coordinated SDG reporting for municipalities, counties and the state.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

for module in (platform, backup, units, catalogue, imports, export, sync, score, rollup, convert, rounds, actions, networks,
               practices, publish, maps):
    module.register(app)

if __name__ == "__main__":
    app()
