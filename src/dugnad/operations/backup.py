"""Backup and restore of a whole installation: the database and the generated files, in one checked archive.

The archive is a tar file: ``manifest.json`` (format, engine, applied migrations, each member's size and SHA-256),
the database copy (``database.sqlite3`` or ``database.pgdump``) and ``files/publications/…``. Datetimes and every
row are copied exactly (page copies or pg_dump, never dumpdata), and the search index is rebuilt after a restore.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from dugnad.common.files import file_sha256
from dugnad.env import data_dir
from dugnad.operations.databases import COPIERS, BackupError, copier

FORMAT = "dugnad-backup/1"
MANIFEST = "manifest.json"
#: Directories of the data directory that the database refers to and that cannot be regenerated.
FILE_DIRS = ("publications",)


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore covered."""

    path: Path
    engine: str
    files: int
    size: int

    def summary(self) -> str:
        """One line for the CLI."""
        return f"{self.path}: {self.engine}-database og {self.files} filer ({self.size / 1e6:.1f} MB)"


def _migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"))


def backup_create(*, out: Path) -> BackupResult:
    """Write a backup archive of the database in use and the generated files to ``out`` (whole or not at all)."""
    db = copier()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".dugnad-backup-") as tmp:
        dump = Path(tmp) / db.member
        db.dump(dump)
        members = {db.member: dump}
        for name in FILE_DIRS:
            root = data_dir() / name
            for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
                members[f"files/{path.relative_to(data_dir()).as_posix()}"] = path
        manifest = {
            "format": FORMAT, "engine": db.vendor, "created": dt.datetime.now(dt.UTC).isoformat(),
            "migrations": _migrations(),
            "members": {name: {"size": path.stat().st_size, "sha256": file_sha256(path)} for name, path in members.items()},
        }
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        partial = Path(tmp) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(tmp) / MANIFEST, arcname=MANIFEST)
            for name, path in members.items():
                archive.add(path, arcname=name)
        partial.replace(out)
    return BackupResult(out, db.vendor, len(members) - 1, out.stat().st_size)


def backup_read_manifest(path: Path) -> dict:
    """The manifest of an archive (BackupError when the file is not a Dugnad backup)."""
    try:
        with tarfile.open(path, "r") as archive:
            manifest = json.load(archive.extractfile(MANIFEST))
    except (OSError, KeyError, ValueError, tarfile.TarError) as exc:
        raise BackupError(f"{path}: not a Dugnad backup ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    return manifest


def _unpack(path: Path, manifest: dict, into: Path) -> None:
    """Extract every member named in the manifest and check its size and checksum."""
    try:
        with tarfile.open(path, "r") as archive:
            archive.extractall(into, members=[archive.getmember(name) for name in manifest["members"]], filter="data")
    except (OSError, KeyError, tarfile.TarError) as exc:
        raise BackupError(f"{path}: the archive is damaged ({exc})") from None
    for name, expected in manifest["members"].items():
        member = into / name
        if not member.is_file() or member.stat().st_size != expected["size"] or file_sha256(member) != expected["sha256"]:
            raise BackupError(f"{path}: {name} is damaged (size or checksum differs from the manifest)")


def backup_restore(*, path: Path) -> BackupResult:
    """Replace the database and the generated files by those in the archive, migrate, and rebuild the search index.

    The archive is checked whole before anything changes; the database must be of the engine it was taken from.
    """
    manifest = backup_read_manifest(path)
    db = copier()
    if manifest["engine"] != db.vendor:
        raise BackupError(f"{path} holds a {manifest['engine']} database; this installation uses {db.vendor}")
    files = [name for name in manifest["members"] if name.startswith("files/")]
    with tempfile.TemporaryDirectory(dir=data_dir(), prefix=".dugnad-restore-") as tmp:
        _unpack(path, manifest, Path(tmp))
        COPIERS[db.vendor].load(Path(tmp) / db.member)
        for name in FILE_DIRS:
            target, restored = data_dir() / name, Path(tmp) / "files" / name
            old = Path(tmp) / f"old-{name}"
            if target.exists():
                target.replace(old)
            if restored.exists():
                restored.replace(target)
            shutil.rmtree(old, ignore_errors=True)
    connection.close()
    ContentType.objects.clear_cache()
    call_command("migrate", interactive=False, verbosity=0)  # an older backup is brought up to this version
    from dugnad.practices.services import library_reindex

    library_reindex()
    return BackupResult(path, db.vendor, len(files), path.stat().st_size)
