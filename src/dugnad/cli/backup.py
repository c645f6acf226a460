"""CLI commands: ``dugnad backup`` and ``dugnad restore`` — the whole installation in one checked archive."""

from __future__ import annotations

from pathlib import Path

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import console, fail


def backup(
    out: Path = typer.Option(..., "--out", help="Archive file to write (e.g. dugnad-2026-12-04.tar).", dir_okay=False),
) -> None:
    """Back up the database and the generated report files to one archive, while the platform runs.

    SQLite is copied with its online backup API, PostgreSQL with pg_dump; datetimes and every row are kept exactly.
    The archive lists each member's SHA-256; the file is written whole or not at all.

    Example: dugnad backup --out /srv/backup/dugnad-$(date +%F).tar
    """
    setup_django()
    from dugnad.operations.backup import backup_create
    from dugnad.operations.databases import BackupError

    try:
        with console.status(_("Tar sikkerhetskopi …")):
            result = backup_create(out=out)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    console.print(_("Sikkerhetskopi skrevet: %(summary)s") % {"summary": result.summary()}, highlight=False)


def restore(
    archive: Path = typer.Argument(..., help="Archive written by `dugnad backup`.", exists=True, dir_okay=False),
    yes: bool = typer.Option(False, "--yes", help="Do not ask before replacing the current data."),
) -> None:
    """Replace the database and report files by a backup, migrate it to this version and rebuild the search index.

    The archive is checked (checksums, engine) before anything changes. Stop `dugnad serve` and the worker first.

    Example: dugnad restore /srv/backup/dugnad-2026-12-04.tar --yes
    """
    setup_django()
    from dugnad.operations.backup import backup_read_manifest, backup_restore
    from dugnad.operations.databases import BackupError

    try:
        manifest = backup_read_manifest(archive)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    if not yes:
        typer.confirm(f"Erstatte alle data med sikkerhetskopien fra {manifest['created']}?", abort=True)
    try:
        with console.status(_("Gjenoppretter …")):
            result = backup_restore(path=archive)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    console.print(_("Gjenopprettet: %(summary)s") % {"summary": result.summary()}, highlight=False)


def register(app: typer.Typer) -> None:
    """Add backup and restore to the main app."""
    app.command("backup")(backup)
    app.command("restore")(restore)
