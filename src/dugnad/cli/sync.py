"""CLI commands: ``dugnad sync …`` — fetch statistics from SSB PxWebApi into the observation store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, err_console, fail, print_rows

sync_app = typer.Typer(
    name="sync",
    help="Fetch statistics from outside sources (SSB PxWebApi v2) into the observation store.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_SSB_HELP = """Fetch every indicator of a mapping file from SSB PxWebApi v2 and store it.

For each indicator the table's metadata is read, the selection (contents, filters, regions, years) is resolved
and fetched as JSON-stat 2.0 (split under the 800,000-cell limit, at most 30 requests per 60 s, cached under the
data directory until the table's 'updated' changes), converted to the tidy table, transformed (per_1000,
percent, scale …) and imported as one all-or-nothing import run with provenance (table id, updated, request
URL, retrieval time). Unchanged figures change nothing; a revised figure becomes a new revision.

The base URL comes from DUGNAD_SSB_BASE_URL. Exit code 1 when any indicator failed.

Example: dugnad sync ssb --config examples/ssb-mapping.yaml --since 2026-03-15 --dry-run
"""


def _client(*, use_cache: bool, max_cells: int):
    """A PxWebApi client with the on-disk cache under the data directory (or none)."""
    from dugnad.env import data_dir, env
    from dugnad.imports.connectors.cache import ResponseCache
    from dugnad.imports.connectors.pxweb import PxWebClient

    cache = ResponseCache(data_dir() / "cache" / "ssb") if use_cache else None
    return PxWebClient(env("DUGNAD_SSB_BASE_URL"), cache=cache, max_cells=max_cells)


def _load_mapping(config: Path):
    """The validated mapping, or exit 1 listing every problem with its location."""
    from dugnad.analytics.report import InputError
    from dugnad.imports.connectors.mapping import mapping_load

    try:
        return mapping_load(config)
    except InputError as exc:
        err_console.print(exc.report.as_text(), highlight=False, markup=False)
        raise fail(_("%(file)s: koblingsfila er ikke gyldig") % {"file": config}) from exc


@sync_app.command("ssb", help=_SSB_HELP)
def sync_ssb(
    config: Path = typer.Option(..., "--config", "-c", help="Mapping YAML (see docs/ssb.md).", exists=True,
                                dir_okay=False, readable=True),
    since: dt.datetime | None = typer.Option(None, "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"],
                                             help="Skip indicators whose SSB tables were not updated after this date."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Fetch and validate against the database; write nothing."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the local response cache."),
    max_cells: int = typer.Option(800_000, "--max-cells", min=1, help="Split requests above this many cells."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="Summary as a table or CSV."),
) -> None:
    """Sync mapped indicators from SSB (see help text)."""
    mapping = _load_mapping(config)
    setup_django()
    from dugnad.imports.sync import ssb_sync

    client = _client(use_cache=not no_cache, max_cells=max_cells)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("SSB", total=len(mapping.indicators))

        def on_progress(item, outcome) -> None:
            if outcome is None:
                progress.update(task, description=f"{item.key} ({item.source.table})")
            else:
                progress.advance(task)

        result = ssb_sync(mapping=mapping, client=client, since=since, dry_run=dry_run, on_progress=on_progress)
    rows = [(i.key, i.table, i.status.value, i.rows, i.result.run.pk if i.result and i.result.run else "", i.message)
            for i in result.items]
    print_rows(["indicator", "table", "status", "rows", "run", "message"], rows, fmt,
               title=_("SSB-synkronisering (prøvekjøring)") if dry_run else _("SSB-synkronisering"))
    for item in result.items:
        if item.result is not None and item.result.report.problems:
            err_console.print(item.result.report.as_text(), highlight=False, markup=False)
    if not result.ok:
        failed = sum(1 for i in result.items if i.status == "failed")
        raise fail(_("%(failed)s av %(total)s indikatorer feilet; de andre ble behandlet som vist") % {
            "failed": failed, "total": len(result.items)})


@sync_app.command("ssb-table", help="Show an SSB table's variables and codes (for writing a mapping file).\n\n"
                                    "Example: dugnad sync ssb-table 07459 --codes 10")
def sync_ssb_table(
    table: str = typer.Argument(..., help="SSB table id, e.g. 07459."),
    codes: int = typer.Option(8, "--codes", min=0, help="How many value codes to show per variable."),
    lang: str = typer.Option("no", "--lang", help="Label language: no or en."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="Output as a table or CSV."),
) -> None:
    """Print the variables of an SSB table (no database needed)."""
    from dugnad.imports.connectors.errors import SsbError

    try:
        meta = _client(use_cache=False, max_cells=800_000).metadata(table, lang)
    except SsbError as exc:
        raise fail(str(exc)) from exc
    rows = []
    for var in meta.variables:
        role = "time" if var.is_time else "contents" if var.is_metric else ""
        shown = ", ".join(f"{c}={var.labels.get(c, '')}" for c in var.codes[:codes])
        more = _(" … (%(n)s i alt)") % {"n": len(var.codes)} if len(var.codes) > codes else ""
        rows.append((var.code, var.label, role, "yes" if var.elimination else "no", len(var.codes), shown + more,
                     ", ".join(var.codelists)))
    console.print(_("%(table)s: %(label)s (oppdatert %(updated)s)") % {
        "table": meta.table, "label": meta.label, "updated": meta.updated}, highlight=False)
    print_rows(["variable", "label", "role", "may be left out", "codes", "examples", "code lists"], rows, fmt)


@sync_app.command("ssb-tables", help="Search SSB's table list (every page).\n\nExample: dugnad sync ssb-tables befolkning")
def sync_ssb_tables(
    query: str = typer.Argument(..., help="Search text."),
    lang: str = typer.Option("no", "--lang", help="Language: no or en."),
    limit: int = typer.Option(5, "--pages", min=1, help="At most this many pages of 100 tables."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="Output as a table or CSV."),
) -> None:
    """List SSB tables matching a search text (no database needed)."""
    from dugnad.imports.connectors.errors import SsbError

    try:
        tables = _client(use_cache=False, max_cells=800_000).tables(query, lang, max_pages=limit)
    except SsbError as exc:
        raise fail(str(exc)) from exc
    print_rows(["table", "label", "updated", "first", "last"],
               [(t.get("id"), t.get("label"), t.get("updated"), t.get("firstPeriod"), t.get("lastPeriod")) for t in tables],
               fmt)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(sync_app, name="sync")
