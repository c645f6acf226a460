"""CLI commands: ``dugnad site …`` — the public portal as a static site (files with relative links)."""

from __future__ import annotations

from pathlib import Path

import typer

from dugnad.cli.output import console, fail

site_app = typer.Typer(
    name="site",
    help="The public portal as static files: every unit, goal, target and indicator page, for any web server or file://.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_BUILD_HELP = """Export the public portal as a static site to --out (reads the database; no server is started).

Every page a visitor without an account can reach from the front page — units, goals, targets, indicators,
the compare page's example, downloads, the embed pages of the maps and charts — is rendered as the server
renders it and written with relative links only, one tree per language (OUT/nb/…, OUT/nn/…, OUT/en/…) and
OUT/index.html opening the first language. Maps and charts draw from file:// too (the boundaries are loaded by
<script>, not fetched). Links to pages that need the server (sign-in, reporting, search) point at --base-url, or are left out.

A manifest (OUT/.dugnad-site.json) remembers each page's inputs and checksum: a rebuild renders only pages whose
data changed and writes only files whose bytes changed ("n written, m unchanged").

Example: dugnad site build --out public --base-url https://dugnad.example.no
"""


@site_app.command("build", help=_BUILD_HELP)
def build(
    out: Path = typer.Option(..., "--out", help="Directory to write the site to (created if missing).", file_okay=False),
    lang: str = typer.Option("nb,nn,en", "--lang", help="Languages, comma-separated; the first opens OUT/index.html."),
    base_url: str = typer.Option("", "--base-url", help="Address of the live platform, for links that need the "
                                 "server (sign-in, reporting, search); empty: such links are left out."),
    jobs: int = typer.Option(0, "--jobs", help="Worker processes (0: the machine's CPUs, at most 4)."),
) -> None:
    """Export the public portal as static files (see help text)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from dugnad.cli.django import setup_django

    languages = tuple(code.strip() for code in lang.split(",") if code.strip())
    unknown = [code for code in languages if code not in ("nb", "nn", "en")]
    if unknown or not languages:
        raise fail(f"--lang {lang!r}: velg blant nb, nn og en")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise fail(f"--base-url {base_url!r}: en adresse som begynner med https://")
    setup_django()
    from dugnad.site.build import default_jobs, site_build

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("Sider", total=None)
        result = site_build(out, languages=languages, base_url=base_url, jobs=jobs or default_jobs(),
                            progress=lambda done, total: progress.update(task, completed=done, total=total))
    console.print(f"{result.out}: {result.pages} sider ({', '.join(languages)}); {result.written} skrevet, "
                  f"{result.unchanged} uendret, {result.removed} fjernet; {result.rendered} sider laget på nytt; "
                  f"{result.seconds:.1f} s.", highlight=False)
    for line in result.missing[:20]:
        console.print(f"[yellow]Lenke til en side som ikke finnes (404)[/] {line}", highlight=False)
    for line in result.failed[:20]:
        console.print(f"[red]Feil[/] {line}", highlight=False)
    if result.failed:
        raise fail(f"{len(result.failed)} sider kunne ikke lages.")


def register(app: typer.Typer) -> None:
    """Add the ``site`` command group to the main app."""
    app.add_typer(site_app, name="site")
