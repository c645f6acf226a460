"""Plain vocabulary and record types shared by every stage of the analytics core."""

from __future__ import annotations

from enum import StrEnum

from dugnad.common import labels as _labels

#: Column order of the tidy observation table every reader yields and every writer consumes.
TIDY_COLUMNS: tuple[str, ...] = ("unit", "indicator", "period", "value", "status")


class ObservationStatus(StrEnum):
    """Status of one observed value (JSON-stat/SDMX status codes map onto these)."""

    OK = "ok"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"
    CONFIDENTIAL = "confidential"
    PROVISIONAL = "provisional"

    @property
    def label_nb(self) -> str:
        """Norwegian (bokmål) label."""
        return _STATUS_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """English label."""
        return _STATUS_LABELS[self][1]

    @property
    def has_value(self) -> bool:
        """Whether a value is expected with this status."""
        return self in (ObservationStatus.OK, ObservationStatus.PROVISIONAL)


_STATUS_LABELS = {
    ObservationStatus.OK: ("Ok", "OK"),
    ObservationStatus.MISSING: ("Mangler", "Missing"),
    ObservationStatus.NOT_APPLICABLE: ("Ikke aktuelt", "Not applicable"),
    ObservationStatus.CONFIDENTIAL: ("Skjermet", "Confidential"),
    ObservationStatus.PROVISIONAL: ("Foreløpig", "Provisional"),
}

# Re-exported for readers that still import it from here (cli/export.py); defined once in dugnad.common.labels.
DEMO_LABEL_NB, DEMO_LABEL_EN = _labels.DEMO_LABEL_NB, _labels.DEMO_LABEL_EN
