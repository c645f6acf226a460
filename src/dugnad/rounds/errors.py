"""Errors raised by the rounds services: edit conflicts (optimistic locking)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


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
        values = {"what": self.what, "who": self.changed_by, "current_version": self.current_version,
                  "expected_version": self.expected_version, "current": repr(self.current), "yours": repr(self.yours)}
        if self.changed_by:
            text = _("Konflikt: %(what)s ble endret av %(who)s (versjon %(current_version)s, du hadde "
                     "%(expected_version)s). Lagret verdi: %(current)s; din verdi: %(yours)s.")
        else:
            text = _("Konflikt: %(what)s ble endret (versjon %(current_version)s, du hadde %(expected_version)s). "
                     "Lagret verdi: %(current)s; din verdi: %(yours)s.")
        return text % values
