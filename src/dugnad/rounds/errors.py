"""Errors raised by the rounds services: edit conflicts (optimistic locking)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Conflict(Exception):
    """A save carried a stale version: someone else changed the thing first; nothing was written."""

    what: str
    expected_version: int
    current_version: int
    current: object = None
    yours: object = None
    changed_by: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        who = f" av {self.changed_by}" if self.changed_by else ""
        return (
            f"Konflikt: {self.what} ble endret{who} (versjon {self.current_version}, du hadde {self.expected_version}). "
            f"Lagret verdi: {self.current!r}; din verdi: {self.yours!r}."
        )
