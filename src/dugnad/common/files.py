"""Files written whole or not at all (a temporary file beside the target, renamed into place) and their SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Permissions of every file written here: readable by all, writable by the owner (temporary files start as 0600).
FILE_MODE = 0o644
#: Permissions of every directory written here.
DIRECTORY_MODE = 0o755
_CHUNK = 1 << 20


def sha256_hex(data: bytes) -> str:
    """The SHA-256 hex digest of bytes."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | Path) -> str:
    """The SHA-256 hex digest of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _remove(path: Path) -> None:
    """Delete a leftover file or directory, if any."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def atomic_files(*targets: str | Path) -> Iterator[list[Path]]:
    """Temporary paths beside the targets to write; all renamed into place when the block succeeds, none otherwise."""
    paths = [Path(t) for t in targets]
    temps: list[Path] = []
    try:
        for target in paths:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(handle)
            temps.append(Path(name))
        yield temps
        for temp, target in zip(temps, paths, strict=True):
            os.chmod(temp, FILE_MODE)
            os.replace(temp, target)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


@contextmanager
def atomic_file(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write; renamed onto ``target`` when the block succeeds, removed otherwise."""
    with atomic_files(target) as (temp,):
        yield temp


@contextmanager
def atomic_directory(target: str | Path) -> Iterator[Path]:
    """A temporary directory beside ``target`` to fill; swapped in for ``target`` when the block succeeds, removed otherwise."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    old = target.with_name(f".{target.name}.old")
    try:
        yield temp
        _normalise_modes(temp)
        if target.exists() or target.is_symlink():
            _remove(old)
            os.replace(target, old)
        os.replace(temp, target)
    finally:
        _remove(temp)
        _remove(old)


def _normalise_modes(root: Path) -> None:
    """Give a written tree the same permissions as single files, whatever the umask: directories 0755, files 0644."""
    os.chmod(root, DIRECTORY_MODE)
    for directory, subdirectories, files in os.walk(root):
        for name in subdirectories:
            os.chmod(os.path.join(directory, name), DIRECTORY_MODE)
        for name in files:
            os.chmod(os.path.join(directory, name), FILE_MODE)


def write_atomic(path: str | Path, content: bytes | str, *, encoding: str = "utf-8") -> str:
    """Write bytes (or text) to ``path`` whole or not at all; returns the SHA-256 hex digest of what was written."""
    data = content.encode(encoding) if isinstance(content, str) else content
    with atomic_file(path) as temp:
        temp.write_bytes(data)
    return sha256_hex(data)
