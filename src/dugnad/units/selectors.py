"""Reads of units for pages and commands."""

from __future__ import annotations

import datetime as dt

from dugnad.analytics.codes import ChangeKind, CodeChangeEvent
from dugnad.units.models import CodeChange, Level, Unit


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


def units_valid_on(*, date: dt.date, level: str | None = None):
    """Units valid on a date (at one level, or all levels ordered by rank), with level and parent."""
    units = Unit.objects.valid_on(date).select_related("level", "parent")
    if level is not None:
        units = units.at_level(level)
    return units.order_by("level__rank", "code")


def code_changes(*, date_from: dt.date | None = None, date_to: dt.date | None = None, level: str | None = None):
    """Code changes between two dates (inclusive), optionally at one level, ordered by date and codes."""
    changes = CodeChange.objects.select_related("level")
    if date_from is not None:
        changes = changes.filter(date__gte=date_from)
    if date_to is not None:
        changes = changes.filter(date__lte=date_to)
    if level is not None:
        changes = changes.filter(level__code=level)
    return changes.order_by("date", "old_code", "new_code")


def code_change_events(*, level: str | None = None) -> list[CodeChangeEvent]:
    """The stored code changes as plain events for the pure reform carrying in ``dugnad.analytics.codes``."""
    return [
        CodeChangeEvent(c.old_code, c.new_code, c.date, ChangeKind(c.change_type), c.weight)
        for c in code_changes(level=level)
    ]
