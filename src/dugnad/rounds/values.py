"""Submission values: parsing a grid cell and writing it as a new observation revision."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus
from dugnad.observations.bounds import PERCENT_WORDS, is_percentage
from dugnad.observations.models import Observation
from dugnad.observations.services import LOOK_UP, observation_write


@dataclass(frozen=True)
class CellValue:
    """A parsed grid cell: a number, or no value with the status that says why."""

    value: float | None
    status: str


def _percent(indicator, spec) -> bool:
    """``is_percentage`` from a spec the caller has already read (one query less on every grid save)."""
    measure = ((spec.unit_of_measure if spec else "") or indicator.unit_of_measure or "").lower()
    return any(word in measure for word in PERCENT_WORDS)


def cell_parse(text: str | None, *, indicator, period: str, spec=None) -> CellValue:
    """Parse a typed cell (``12,5``, ``12.5``, empty = missing); raise InputError naming the cell and why.
    ``spec`` (the indicator's spec in force, when the caller has it) decides whether values are percentages."""
    report = ValidationReport(source="innlevering")
    where = {"column": f"{indicator.code} {period}", "value": text}
    raw = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if raw == "":
        return CellValue(None, ObservationStatus.MISSING.value)
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        report.add(_("Verdien må være et tall, for eksempel 12,5."), **where)
        raise InputError(report) from None
    if not math.isfinite(number):
        report.add(_("Verdien må være et endelig tall."), **where)
        raise InputError(report)
    if (_percent(indicator, spec) if spec is not None else is_percentage(indicator)) and not 0 <= number <= 100:
        report.add(_("En prosentandel må ligge mellom 0 og 100."), **where)
        raise InputError(report)
    return CellValue(number, ObservationStatus.OK.value)


def observation_revise(*, user, unit, indicator, period: str, cell: CellValue, source: str,
                       current=LOOK_UP) -> Observation:
    """Store a cell value as a new revision of the observation, with a ``web`` import run naming the user.

    Through the store's single-row path (``observations.services.observation_write``); ``current`` is the cell's
    current row when the caller has already locked it (``observation_locked``; None: there is none).
    """
    return observation_write(
        user=user, unit=unit, indicator=indicator, period=period, value=cell.value, status=cell.status,
        source=source, provenance={"cell": f"{unit.code}/{indicator.framework.code}:{indicator.code}/{period}"},
        current=current,
    )
