"""CLI commands: ``dugnad maps …`` — the boundary files behind the maps (built from Kartverket's GeoJSON/TopoJSON)."""

from __future__ import annotations

from pathlib import Path

import typer

from dugnad.cli.language import _
from dugnad.cli.output import console, err_console, fail

maps_app = typer.Typer(
    name="maps",
    help="Maps of Norway: the simplified municipality and county boundaries the web pages and PDFs draw.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

#: Where the web app serves the boundaries from (the files are shipped in the package).
SHIPPED = Path(__file__).resolve().parent.parent / "web" / "static" / "web" / "maps"

_BUILD_HELP = """Build the shipped TopoJSON boundaries from Kartverket's boundary files (file only, no database).

--from is a directory with 2020/Kommuner-medium.topojson and 2020/Fylker-small.json (boundaries of 2020–2023)
and 2024/Kommuner-S.geojson and 2024/Fylker-S.geojson (2024 and later), as in ../shared/data/no/geo. Writes
2020.topo.json and 2024.topo.json to --out, each with the objects «kommuner» and «fylker» (counties dissolved from
their municipalities, names from the county files), simplified along shared borders and quantised. The same
input always gives the same bytes. Nothing is written when an input is unusable; every problem is listed.

Example: dugnad maps build --from ../shared/data/no/geo
"""


@maps_app.command("build", help=_BUILD_HELP)
def build(
    source: Path = typer.Option(..., "--from", help="Directory with Kartverket's boundary files (see help text).",
                                exists=True, file_okay=False),
    out: Path | None = typer.Option(None, "--out", help="Directory to write the TopoJSON files to "
                                    "(default: the shipped files in the package).", file_okay=False),
) -> None:
    """Build the shipped TopoJSON boundaries (see help text)."""
    from dugnad.analytics.maps.build import topologies_build
    from dugnad.analytics.report import InputError
    from dugnad.common.files import write_atomic

    try:
        with console.status(_("Bygger kartgrunnlag …")):
            built = topologies_build(source)
    except InputError as exc:
        err_console.print(exc.report.as_text(), highlight=False, markup=False)
        raise fail(_("Kartfilene kan ikke brukes; ingenting er skrevet.")) from None
    out = out or SHIPPED
    out.mkdir(parents=True, exist_ok=True)
    for topology in built:
        write_atomic(out / topology.filename, topology.content)
        console.print(_("%(file)s: %(municipalities)s kommuner, %(counties)s fylker, %(kb)s KB") % {
            "file": out / topology.filename, "municipalities": topology.municipalities, "counties": topology.counties,
            "kb": f"{len(topology.content) / 1024:.0f}"}, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``maps`` command group to the main app."""
    app.add_typer(maps_app, name="maps")
