"""Reads of units for pages and commands."""

from __future__ import annotations

import datetime as dt

from dugnad.units.models import Level, Unit


def units_on(*, level: str, date: dt.date):
    """Units at a level valid on a date, ordered by code."""
    return Unit.objects.at_level(level).valid_on(date).select_related("level", "parent").order_by("code")


def unit_current(code: str, *, date: dt.date | None = None) -> Unit | None:
    """The unit with this code valid on the date (today by default), or None."""
    return Unit.objects.valid_on(date or dt.date.today()).select_related("level", "parent").filter(code=code).first()


def current_units_by_level(*, date: dt.date | None = None) -> list[tuple[Level, list[Unit]]]:
    """Each level with its units valid on the date (today by default)."""
    day = date or dt.date.today()
    return [(level, list(units_on(level=level.code, date=day))) for level in Level.objects.all()]
