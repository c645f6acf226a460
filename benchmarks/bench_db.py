"""The benchmarks' database set-up: ``migrate()`` migrates Django's default database (after ``django.setup()``).

A fresh SQLite file takes ~9 s to migrate and most benchmarks start one or more (``run_all.py`` ~10 times), none of
it measured. So the first migration of a set of migrations is kept as a template file in the temp directory, named by
a digest of the migration files of the ``dugnad`` package in use (another checkout's tree gets its own) and of
Django's version, and later SQLite databases are copies of it. PostgreSQL is migrated as usual.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


def _template() -> Path:
    import django

    import dugnad

    digest = hashlib.blake2b(django.get_version().encode(), digest_size=10)
    for path in sorted(Path(dugnad.__file__).resolve().parent.glob("*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return Path(tempfile.gettempdir()) / f"dugnad-bench-migrated-{digest.hexdigest()}.sqlite3"


def migrate() -> None:
    """Migrate the default database; an empty SQLite file is copied from the migrated template when there is one."""
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite" or str(name) == ":memory:" or (Path(name).exists() and Path(name).stat().st_size):
        call_command("migrate", interactive=False, verbosity=0)
        return
    template = _template()
    connection.close()
    if template.exists():
        shutil.copyfile(template, name)
        return
    call_command("migrate", interactive=False, verbosity=0)
    connection.close()
    partial = template.with_suffix(f".{os.getpid()}.part")
    shutil.copyfile(name, partial)
    os.replace(partial, template)  # whole or absent, also with benchmarks running at once
