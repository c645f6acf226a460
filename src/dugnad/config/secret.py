"""The Django secret key: from ``DUGNAD_SECRET_KEY``, else generated once and kept in the data directory (0600)."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from dugnad.env import data_dir, env

FILE_NAME = "secret_key"


def secret_key_file() -> Path:
    """Where the generated key is kept: ``<data dir>/secret_key``."""
    return data_dir() / FILE_NAME


def secret_key() -> str:
    """The secret key in force; creates the key file (readable by its owner only) on first use."""
    configured = env("DUGNAD_SECRET_KEY").strip()
    if configured:
        return configured
    path = secret_key_file()
    if not path.exists():
        _create(path, secrets.token_urlsafe(64))
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise RuntimeError(f"{path}: the kept secret key is too short; delete the file to make a new one")
    return key


def _create(path: Path, key: str) -> None:
    """Write the key to a private temporary file and link it into place (the first of racing processes wins)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
