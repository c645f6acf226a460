"""Whole-database copies for backups: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason (nothing has been changed when it is raised)."""


@dataclass(frozen=True)
class DatabaseCopier:
    """How one database engine is copied to a file and back."""

    vendor: str
    member: str  # the file name inside the archive

    def dump(self, out: Path) -> None:
        """Copy the whole database to ``out``."""
        raise NotImplementedError

    def load(self, dump: Path) -> None:
        """Replace the whole database by the copy in ``dump``."""
        raise NotImplementedError


class SqliteCopier(DatabaseCopier):
    """SQLite: page-by-page copies with the online backup API (consistent while others read and write)."""

    def dump(self, out: Path) -> None:
        """Copy the live database into a new SQLite file."""
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def load(self, dump: Path) -> None:
        """Copy every page of the backup into the live database (in one step; readers see old or new)."""
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{quote(str(dump))}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


class PostgresCopier(DatabaseCopier):
    """PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean`` in a single transaction."""

    def _run(self, tool: str, args: list[str]) -> None:
        program = shutil.which(tool)
        if program is None:
            raise BackupError(f"{tool} was not found on PATH; install the PostgreSQL client tools")
        settings = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or os.environ.get("PGPASSWORD", "")}
        target = ["--dbname", settings["NAME"], "--host", settings.get("HOST") or "localhost",
                  "--port", str(settings.get("PORT") or 5432), "--username", settings.get("USER") or "postgres"]
        result = subprocess.run([program, *target, *args], env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")

    def dump(self, out: Path) -> None:
        """Dump the database (schema, data, sequences) in pg_dump's custom format."""
        self._run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(out)])

    def load(self, dump: Path) -> None:
        """Drop and recreate every object of the dump and load its data, all or nothing."""
        connection.close()
        self._run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                                 "--exit-on-error", str(dump)])


COPIERS = {"sqlite": SqliteCopier("sqlite", "database.sqlite3"), "postgresql": PostgresCopier("postgresql", "database.pgdump")}


def copier() -> DatabaseCopier:
    """The copier of the database in use."""
    if connection.vendor not in COPIERS:
        raise BackupError(f"backups of {connection.vendor} databases are not supported (only SQLite and PostgreSQL)")
    return COPIERS[connection.vendor]
