"""What the registry builder needs from a Klass source: documents (payload + origin) by kind of request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

MUNICIPALITIES = 131  # Standard for kommuneinndeling
COUNTIES = 104  # Standard for fylkesinndeling


@dataclass(frozen=True)
class KlassDocument:
    """One Klass response: its JSON payload, where it came from (URL or file) and the request it answers."""

    payload: dict
    origin: str
    request: str


class KlassReader(Protocol):
    """A source of Klass responses: the live API or a directory of saved responses."""

    def classification(self, classification_id: int) -> KlassDocument:
        """The classification with its list of versions."""
        ...

    def version(self, version_id: int, *, language: str | None = None) -> KlassDocument:
        """One version with its classification items."""
        ...

    def has_version(self, version_id: int) -> bool:
        """Whether the source can answer for this version (a directory may lack it; the builder then rebuilds it)."""
        ...

    def changes(self, classification_id: int, from_date: dt.date, to_date: dt.date) -> KlassDocument:
        """The code changes between two dates."""
        ...

    def codes_at(self, classification_id: int, date: dt.date) -> KlassDocument:
        """The codes valid on a date."""
        ...

    def has_classification(self, classification_id: int) -> bool:
        """Whether the source can answer for this classification."""
        ...

    def names_date(self, classification_id: int) -> dt.date | None:
        """The date to ask ``codes_at`` for current names (today for the API; the latest saved date for a directory)."""
        ...
