"""Reads of units for pages and commands."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from dugnad.analytics.carry import origin_text
from dugnad.analytics.codes import ChangeKind, CodeChangeEvent, CodeHistory
from dugnad.analytics.formats.mapping import NameMatch
from dugnad.units.models import CodeChange, Level, Population, Unit
from dugnad.units.vocab import SizeBand


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


def units_current(*, levels: tuple[str, ...] | list[str] | None = None, codes=None, parents=None, exclude_ids=None):
    """Units valid today (at the levels, with the codes, under the parents, without the ids given), ordered by code."""
    units = Unit.objects.current().select_related("level", "parent")
    if parents is not None:
        units = units.filter(parent__in=parents)
    if levels is not None:
        units = units.filter(level__code__in=levels)
    if codes is not None:
        units = units.filter(code__in=codes)
    if exclude_ids:
        units = units.exclude(pk__in=exclude_ids)
    return units.order_by("code")


def units_by_ids(ids) -> list[Unit]:
    """The units with these primary keys (any validity), ordered by code."""
    return list(Unit.objects.filter(pk__in=list(ids)).select_related("level", "parent").order_by("code"))


def unit_country(*, date: dt.date | None = None) -> Unit | None:
    """The top-level unit (the country) valid on the date (today by default), or None."""
    return Unit.objects.valid_on(date or dt.date.today()).filter(level__rank=0).select_related("level").first()


def level_codes() -> list[str]:
    """The codes of the configured levels, top level first."""
    return list(Level.objects.values_list("code", flat=True))


def _run_of(unit: Unit, periods: list[tuple[dt.date, dt.date | None]]) -> tuple[dt.date, dt.date | None]:
    """The span of the unit's code around the unit's row: its rows joined while each ends where the next starts."""
    periods = sorted(periods)
    i = periods.index((unit.valid_from, unit.valid_to)) if (unit.valid_from, unit.valid_to) in periods else None
    if i is None:
        return unit.valid_from, unit.valid_to
    start, end = i, i
    while start > 0 and periods[start - 1][1] == periods[start][0]:
        start -= 1
    while end + 1 < len(periods) and periods[end][1] == periods[end + 1][0]:
        end += 1
    return periods[start][0], periods[end][1]


def populations(units: Iterable[Unit], year: int) -> dict[int, int | None]:
    """Residents of each unit (by id) on 1 January of ``year``. A year without a figure takes the nearest
    earlier year that has one; only figures of the unit's own code while that code was in force without a
    break count (across renames: 5001 Trondheim 2021 answers for Trondheim - Tråante 2023). None when the code
    has no figure in or before the year (every unit before 2020, the first year shipped)."""
    return populations_in_years(units, [year])[year]


def populations_in_years(units: Iterable[Unit], years: Iterable[int]) -> dict[int, dict[int, int | None]]:
    """``populations`` of the units in each of several years, by year, read at once (two queries, as for one year)."""
    units, years = list(units), sorted(set(years))
    codes = {u.code for u in units}
    figures: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, figure_year, value in Population.objects.filter(code__in=codes, year__lte=years[-1]).values_list(
            "code", "year", "value"):
        figures[code].append((figure_year, value))
    periods: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for code, valid_from, valid_to in Unit.objects.filter(code__in=codes).values_list("code", "valid_from", "valid_to"):
        periods[code].append((valid_from, valid_to))
    result: dict[int, dict[int, int | None]] = {year: {} for year in years}
    for unit in units:
        start, end = _run_of(unit, periods[unit.code])
        usable = [(y, v) for y, v in figures[unit.code]
                  if start <= dt.date(y, 1, 1) and (end is None or dt.date(y, 1, 1) < end)]
        for year in years:
            up_to = [(y, v) for y, v in usable if y <= year]
            result[year][unit.pk] = max(up_to)[1] if up_to else None
    return result


def population(unit: Unit, year: int) -> int | None:
    """Residents of one unit on 1 January of ``year`` (the rule of ``populations``)."""
    return populations([unit], year)[unit.pk]


def size_bands(units: Iterable[Unit], year: int) -> dict[int, SizeBand]:
    """The size band of each unit (by id) by its population on 1 January of ``year`` (rule of ``populations``)."""
    return {pk: SizeBand.of(value) for pk, value in populations(units, year).items()}


class CarryContext:
    """What carrying series onto the units in force on a date needs from the registry. The code changes (and
    the names they carry) are read at once, in one query; the codes valid on the date (one query) and the
    population weights (two queries) only when first used."""

    def __init__(self, *, on: dt.date, changes: list[CodeChange], level: str | None = None):
        self.on = on
        self.level = level
        self.history = CodeHistory([CodeChangeEvent(c.old_code, c.new_code, c.date, ChangeKind(c.change_type), c.weight)
                                    for c in changes])
        self.names: dict[str, str] = {}
        for c in changes:  # in date order: the latest name of a code wins
            self.names[c.old_code] = c.old_name or self.names.get(c.old_code, "")
            self.names[c.new_code] = c.new_name or self.names.get(c.new_code, "")
        self._links = [(c.old_code, c.new_code, c.date) for c in changes if c.date <= on]

    def _units(self):
        return Unit.objects.all() if self.level is None else Unit.objects.at_level(self.level)

    @cached_property
    def valid_codes(self) -> set[str]:
        """The codes of the units valid on the date."""
        return set(self._units().valid_on(self.on).values_list("code", flat=True))

    @cached_property
    def weights(self) -> dict[tuple[str, int], float]:
        """Population weights by (code, year): the code's own figure for the year, else its nearest figure from
        the same run of the code (a code used by several units over time only answers for its own years)."""
        periods: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for code, valid_from, valid_to in self._units().values_list("code", "valid_from", "valid_to"):
            periods[code].append((valid_from, valid_to))
        figures: dict[str, dict[int, int]] = defaultdict(dict)
        for code, year, value in Population.objects.values_list("code", "year", "value"):
            figures[code][year] = value
        weights: dict[tuple[str, int], float] = {}
        first = min((p[0].year for spans in periods.values() for p in spans), default=self.on.year)
        for code, years in figures.items():
            for year in range(max(first, 1900), self.on.year + 1):
                if year in years:
                    weights[(code, year)] = float(years[year])
                    continue
                day = dt.date(year, 1, 1)
                span = next(((a, b) for a, b in periods.get(code, []) if a <= day and (b is None or day < b)), None)
                if span is None:
                    continue
                near = [y for y in years if span[0].year <= y and (span[1] is None or dt.date(y, 1, 1) < span[1])]
                if near:
                    weights[(code, year)] = float(years[min(near, key=lambda y: (abs(y - year), y))])
        return weights

    def origin(self, carried_from: str, *, lang: str = "nb") -> str:
        """«videreført fra 3001 Halden» for a carried value's origin ('' when not carried)."""
        return origin_text(carried_from, self.names, lang=lang)

    def sources_of(self, code: str, *, since: dt.date | None = None) -> set[str]:
        """Every code whose values may carry into ``code`` (itself included): its predecessors back to ``since``."""
        found, frontier = {code}, {code}
        while frontier:
            frontier = {old for (old, new, day) in self._links if new in frontier and old not in found
                        and (since is None or day >= since)}
            found |= frontier
        return found


def carry_context(*, on: dt.date, level: str | None = None) -> CarryContext:
    """The registry's code changes (one query) for carrying series onto the units in force on ``on``."""
    return CarryContext(on=on, changes=list(code_changes(level=level)), level=level)


_contexts: dict[tuple, CarryContext] = {}


def kept_carry_context(*, on: dt.date) -> CarryContext:
    """``carry_context(on=…)`` kept in the process until the registry changes (``registry_version``: one small
    aggregate query instead of reading every code change each time: pages, API calls and static site builds
    carry series for one unit after another)."""
    key = (on, registry_version())
    context = _contexts.get(key)
    if context is None:
        if len(_contexts) >= 16:
            _contexts.clear()
        context = _contexts[key] = carry_context(on=on)
    return context


def registry_version() -> tuple:
    """A cheap fingerprint of the registry (units, code changes, population figures): it changes whenever one of
    them is added, removed or re-dated, so a process may keep what it derived from the registry until then. One
    query (three aggregates as sub-selects)."""
    from django.db import connection

    quote = connection.ops.quote_name
    parts = []
    for model, columns in ((Unit, ("valid_to",)), (CodeChange, ()), (Population, ())):
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        parts += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({pk}) FROM {table})"]
        parts += [f"(SELECT MAX({quote(model._meta.get_field(c).column)}) FROM {table})" for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def _name_keys(*forms: str) -> set[str]:
    """Spellings a unit is looked up by: each name form case-folded, without a ``(qualifier)``, and each part of a
    multi-language name (``Harstad - Hárstták``)."""
    keys = set()
    for form in forms:
        if not form:
            continue
        folded = " ".join(form.split()).casefold()
        for text in (folded, *folded.split(" - ")):
            keys |= {text.strip(), _QUALIFIER.sub("", text).strip()}
    keys.discard("")
    return keys


class UnitNames:
    """Unit names of the registry (every version, every form) resolved to unit codes by year, optionally within a
    county: the ``NameLookup`` of the mapping import (``dugnad import FILE --map``).

    ``scope`` is a county code, today's or historical: a unit is in scope when its code, or a code it was recoded,
    merged or split from or into (the registry's code changes, both directions), lies in that county. ``level``
    limits the lookup to one level (``municipality``, ``county`` …).
    """

    def __init__(self, *, scope: str | None = None, level: str | None = None) -> None:
        units = Unit.objects.select_related("level").only(
            "code", "name", "name_nn", "name_en", "other_names", "valid_from", "valid_to", "level__code")
        if level is not None:
            units = units.filter(level__code=level)
        self.scope, self.level = scope, level
        in_scope = self._scope_test(scope)
        self._by_key: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            if not in_scope(unit.code):
                continue
            for key in _name_keys(unit.name, unit.name_nn, unit.name_en, *(unit.other_names or {}).values()):
                self._by_key[key].append(unit)
        self._display = {key: versions[-1].name for key, versions in self._by_key.items()}

    @staticmethod
    def _scope_test(scope: str | None):
        """``code → bool``: whether a code lies in the scope county through its lineage of code changes."""
        if scope is None:
            return lambda code: True
        forward: dict[str, set[str]] = defaultdict(set)
        backward: dict[str, set[str]] = defaultdict(set)
        for old, new in CodeChange.objects.values_list("old_code", "new_code"):
            if old != new:
                forward[old].add(new)
                backward[new].add(old)

        def reach(code: str, graph: dict[str, set[str]]) -> set[str]:
            found, todo = set(), [code]
            while todo:
                for nxt in graph.get(todo.pop(), ()):
                    if nxt not in found:
                        found.add(nxt)
                        todo.append(nxt)
            return found

        def test(code: str) -> bool:
            lineage = {code} | reach(code, forward) | reach(code, backward)
            return any(c[:2] == scope and len(c) >= 2 for c in lineage)

        return test

    def __call__(self, name: str, year: int):
        """The ``NameMatch`` of a name in a year: the code of the one unit so named then, or why there is none."""
        keys = _name_keys(name)
        versions = {u.pk: u for key in keys for u in self._by_key.get(key, [])}.values()
        where = f" in county {self.scope}" if self.scope else ""
        if not versions:
            close = difflib.get_close_matches(" ".join(name.split()).casefold(), list(self._by_key), n=3, cutoff=0.7)
            hint = f"; closest: {', '.join(dict.fromkeys(self._display[k] for k in close))}" if close else ""
            return NameMatch(None, f"unknown unit name{where}{hint}")
        jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
        valid = [u for u in versions if u.valid_from <= jan1 and (u.valid_to is None or u.valid_to > jan1)]
        if not valid:
            valid = [u for u in versions if u.valid_from <= dec31 and (u.valid_to is None or u.valid_to > jan1)]
        codes = sorted({u.code for u in valid})
        if len(codes) == 1:
            return NameMatch(codes[0])
        if len(codes) > 1:
            named = ", ".join(f"{u.code} {u.name}" for u in sorted({u.code: u for u in valid}.values(),
                                                                   key=lambda u: u.code))
            give = "give the county (unit.scope in the mapping)" if self.scope is None else "use unit codes"
            levels = {u.level.code for u in valid}
            if len(levels) > 1 and self.level is None:
                give += " or the level (unit.level)"
            return NameMatch(None, f"ambiguous unit name: in {year} it names {named}; {give}")
        first = min(u.valid_from for u in versions)
        if jan1 < first:
            return NameMatch(None, f"the unit did not exist in {year} (in the registry from {first.isoformat()})")
        last = max(u.valid_to for u in versions if u.valid_to is not None)
        return NameMatch(None, f"the unit no longer existed in {year} (ended {last.isoformat()})")


def unit_name_lookup(*, scope: str | None = None, level: str | None = None) -> UnitNames:
    """The registry's unit names as a ``NameLookup`` for the mapping import (see ``UnitNames``)."""
    return UnitNames(scope=scope, level=level)
