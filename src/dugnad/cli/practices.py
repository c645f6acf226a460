"""CLI commands: ``dugnad practices …`` — search the good-practice library in Norwegian, rebuild its index."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, fail, print_rows

practices_app = typer.Typer(
    name="practices",
    help="The good-practice library: ranked Norwegian full-text search with facets, and its search index.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_SEARCH_HELP = """Search the good-practice cases in Norwegian, best match first.

Words are stemmed (PostgreSQL: the norwegian text-search configuration; SQLite: FTS5 with a Snowball
Norwegian stemmer), so «barnehager» finds «barnehage»; a case matching any word is found, cases matching
more and rarer words, or in the title, rank higher. Filter with --goal, --county and --size.

Columns: rank, score (higher is better; not comparable between databases), id, title, unit, county,
size (small/medium/large/city/unknown), goals, tags.

Example: dugnad practices search "trygg skolevei" --county 46 --format csv
"""


@practices_app.command("search", help=_SEARCH_HELP)
def search(
    query: str = typer.Argument(..., help="Words to look for, in Norwegian."),
    goal: int | None = typer.Option(None, "--goal", min=1, max=17, help="Only cases on targets of this SDG goal."),
    county: str = typer.Option("", "--county", help="Only cases from this county (code, e.g. 46)."),
    size: str = typer.Option("", "--size", help="Only municipalities of this size: small, medium, large or city."),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many rows."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """Search the library (see help text)."""
    if size and size not in {"small", "medium", "large", "city", "unknown"}:
        raise fail(_("--size: ukjent størrelse %(value)s; bruk small, medium, large, city eller unknown.") % {
            "value": repr(size)})
    setup_django()
    from dugnad.practices.selectors import SEARCH_COLUMNS, practices_search, search_row

    result = practices_search(query, goal=goal, county=county, size=size, limit=limit)
    print_rows(SEARCH_COLUMNS, [search_row(h) for h in result.hits], fmt, title=_("Søk: %(query)s") % {"query": query})
    if fmt is OutputFormat.TABLE:
        console.print(_("%(n)s treff.") % {"n": result.total})


@practices_app.command("reindex", help="Rebuild the search index of every case (needed after edits in the admin).\n\n"
                       "Example: dugnad practices reindex")
def reindex() -> None:
    """Rebuild the search index (see help text)."""
    setup_django()
    from dugnad.practices.services import library_reindex

    console.print(_("%(n)s eksempler indeksert.") % {"n": library_reindex()})


def register(app: typer.Typer) -> None:
    """Add the ``practices`` command group."""
    app.add_typer(practices_app)
