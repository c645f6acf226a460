"""Reads of the shared readings: one reading or version, filtered lists, CSV rows, the agreed readings of a target
and of a unit, and what the work page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, QuerySet

from dugnad.catalogue.models import Target
from dugnad.readings.models import Reading, ReadingComment, ReadingVersion
from dugnad.readings.vocab import ReadingLevel, ReadingState

#: Columns of ``dugnad readings list``.
READING_COLUMNS = ("id", "target", "unit", "level", "state", "version")


def _base() -> QuerySet[Reading]:
    return Reading.objects.select_related("target", "unit__level", "agreed_version").annotate(
        latest_number=Max("versions__number"))


def target_by_code(code: str) -> Target | None:
    """The SDG target with this code (``11.6``), or None."""
    return Target.objects.select_related("goal").filter(code=code).first()


def reading_get(target_code: str, unit) -> Reading | None:
    """The unit's reading of the target, or None."""
    return _base().filter(target__code=target_code, unit=unit).first()


def reading_version_get(target_code: str, unit, number: int) -> ReadingVersion | None:
    """Version ``number`` of the unit's reading of the target, with its reading, indicators and actions, or None."""
    return (ReadingVersion.objects.select_related("reading__target__goal", "reading__unit__level", "author")
            .prefetch_related("indicators__framework", "actions", "agreements")
            .filter(reading__target__code=target_code, reading__unit=unit, number=number).first())


def readings_list(*, target_code: str | None = None, unit=None, level: str | None = None, state: str | None = None,
                  agreed_only: bool = False, include_demo: bool = True) -> QuerySet[Reading]:
    """Readings in official target order then unit code, filtered (``agreed_only``: those with an agreed version)."""
    qs = _base()
    if target_code:
        qs = qs.filter(target__code=target_code)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if level:
        qs = qs.filter(level=level)
    if state:
        qs = qs.filter(state=state)
    if agreed_only:
        qs = qs.filter(agreed_version__isnull=False)
    if not include_demo:
        qs = qs.filter(is_demo=False)
    return qs.order_by("target__goal_id", "target__sort_key", "target__code", "unit__level__rank", "unit__code")


def reading_row(reading: Reading) -> tuple:
    """One row of ``READING_COLUMNS``: id, target code, unit code, level, state, latest version number."""
    return (reading.pk, reading.target.code, reading.unit.code, reading.level, reading.state,
            getattr(reading, "latest_number", None) or reading.versions.aggregate(n=Max("number"))["n"])


@dataclass(frozen=True)
class TargetReadings:
    """The agreed readings of one target: the national one, and those of counties and municipalities."""

    national: Reading | None
    counties: list[Reading]
    municipalities: list[Reading]


def agreed_readings_of_target(target_code: str) -> TargetReadings:
    """The readings of the target that have an agreed version, by level (agreed text prefetched)."""
    found = list(readings_list(target_code=target_code, agreed_only=True)
                 .select_related("agreed_version").prefetch_related("agreed_version__indicators"))
    national = next((r for r in found if r.level == ReadingLevel.NATIONAL), None)
    return TargetReadings(national=national, counties=[r for r in found if r.level == ReadingLevel.COUNTY],
                          municipalities=[r for r in found if r.level == ReadingLevel.MUNICIPALITY])


def agreed_readings_of_unit(unit, *, include_demo: bool = True) -> list[Reading]:
    """The unit's readings that have an agreed version, in official target order (for publications)."""
    return list(readings_list(unit=unit, agreed_only=True, include_demo=include_demo)
                .select_related("agreed_version", "target__goal"))


def reading_work(reading: Reading) -> tuple[list[ReadingVersion], list[ReadingComment]]:
    """The reading's versions (newest first, with authors and agreements) and comments (oldest first)."""
    versions = list(reading.versions.select_related("author").prefetch_related("agreements", "indicators", "actions")
                    .order_by("-number"))
    comments = list(reading.comments.select_related("author", "version").order_by("created_at", "pk"))
    return versions, comments


def readings_of_units(units, *, open_only: bool = False) -> QuerySet[Reading]:
    """Readings of the given units (only those still being discussed when ``open_only``)."""
    qs = _base().filter(unit__in=units)
    if open_only:
        qs = qs.exclude(state=ReadingState.AGREED)
    return qs.order_by("-updated_at", "-pk")


def latest_version(reading: Reading) -> ReadingVersion | None:
    """The reading's newest version."""
    return reading.versions.order_by("-number").first()


def version_was_agreed(version: ReadingVersion) -> bool:
    """Whether the version has ever been agreed (then it is public and citable)."""
    return version.agreements.exists()



def indicators_of_target(target: Target) -> list:
    """The indicators linked to the target, by framework and code."""
    return list(target.indicators.select_related("framework").order_by("framework__code", "code"))


def agreed_reading_keys() -> dict[str, list[tuple]]:
    """Per target code, what its public page shows of the readings: (unit code, agreed version, state, demo)."""
    keys: dict[str, list[tuple]] = {}
    rows = (Reading.objects.filter(agreed_version__isnull=False)
            .values_list("target__code", "unit__code", "agreed_version__number", "state", "is_demo")
            .order_by("target__code", "unit__code"))
    for code, unit, number, state, demo in rows:
        keys.setdefault(code, []).append((unit, number, state, demo))
    return keys
