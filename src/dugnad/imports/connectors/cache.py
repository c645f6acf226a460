"""On-disk response cache for SSB data, keyed by table, selection hash and the table's ``updated`` time."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from dugnad.common.files import write_atomic


def selection_hash(key: dict) -> str:
    """Stable SHA-256 (hex, 16 chars) of a JSON-ready selection description."""
    text = json.dumps(key, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "", text) or "unknown"


class ResponseCache:
    """Cached JSON-stat responses under ``root/<table>/<updated>-<hash>.json``.

    A table's entries are valid only for one ``updated`` value: storing a response with a newer
    ``updated`` removes the entries of the older one, so a changed table is always fetched again.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    def _path(self, table: str, updated: str, key: dict) -> Path:
        return self.root / _slug(table) / f"{_slug(updated)}-{selection_hash(key)}.json"

    def get(self, table: str, updated: str, key: dict) -> dict | None:
        """The cached document, or ``None`` (a miss) when absent, unreadable or for another ``updated``."""
        path = self._path(table, updated, key)
        try:
            with path.open(encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return doc

    def put(self, table: str, updated: str, key: dict, doc: dict) -> Path:
        """Store a document atomically and drop entries of the table with another ``updated``."""
        path = self._path(table, updated, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = f"{_slug(updated)}-"
        for old in path.parent.glob("*.json"):
            if not old.name.startswith(prefix):
                old.unlink(missing_ok=True)
        write_atomic(path, json.dumps(doc, ensure_ascii=False))
        return path

    def clear(self, table: str | None = None) -> int:
        """Remove cached entries (of one table, or all); returns how many files were removed."""
        base = self.root / _slug(table) if table else self.root
        removed = 0
        for path in base.rglob("*.json") if base.exists() else ():
            path.unlink(missing_ok=True)
            removed += 1
        return removed
