"""SQL text helpers shared by the scoring modules (no imports of its own, so any of them can use it)."""

from __future__ import annotations


def sql_text(text: str) -> str:
    """Text for a single-quoted SQL literal (quotes doubled)."""
    return text.replace("'", "''")
