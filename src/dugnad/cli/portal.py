"""CLI commands: ``dugnad portal …`` — the public portal as the server shows it (its page cache)."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import console, fail

portal_app = typer.Typer(
    name="portal",
    help="The public portal served by the platform: fill its page cache after a data change.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_WARM_HELP = """Render every public page (front page, lists, units, goals, targets, indicators) into the page cache.

Visitors without an account are answered from the cache (a read instead of a render), so after an import or a
score run this command spares the first readers of each page the wait. It renders each page as a visitor at
--host sees it, in each language of --lang; pages already kept for the current data are skipped, so running it
twice is quick. Needs the same data directory (DUGNAD_DATA_DIR) and page cache (DUGNAD_PAGE_CACHE=file, the
default) as the server. --host must be one of DUGNAD_ALLOWED_HOSTS.

Example: dugnad portal warm --host dugnad.example.no
"""


@portal_app.command("warm", help=_WARM_HELP)
def warm(
    host: str = typer.Option("127.0.0.1:8000", "--host", help="The address visitors use (host[:port])."),
    lang: str = typer.Option("nb,nn,en", "--lang", help="Languages, comma-separated."),
) -> None:
    """Fill the page cache with every public page (see help text)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    languages = tuple(code.strip() for code in lang.split(",") if code.strip())
    unknown = [code for code in languages if code not in ("nb", "nn", "en")]
    if unknown or not languages:
        raise fail(_("--lang {lang!r}: velg blant nb, nn og en").format(lang=lang))
    setup_django()
    from dugnad.web.public_cache import warm_pages

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(_("Sider"), total=None)
        result = warm_pages(host=host, languages=languages,
                            progress=lambda done, total: progress.update(task, completed=done, total=total))
    console.print(_("{rendered} sider lagt i hurtigbufferen, {already} lå der fra før.").format(
        rendered=result.rendered, already=result.already), highlight=False)
    for line in result.failed[:20]:
        console.print(f"[red]{_('Feil')}[/] {line}", highlight=False)
    if result.failed:
        raise fail(_("{n} sider kunne ikke lages (er --host en av DUGNAD_ALLOWED_HOSTS?).").format(n=len(result.failed)))


def register(app: typer.Typer) -> None:
    """Add the ``portal`` command group to the main app."""
    app.add_typer(portal_app, name="portal")
