"""Writes to the unit registry: loading snapshots (levels, units, code changes; population) idempotently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.units.models import CodeChange, Level, Population, Unit
from dugnad.units.population.snapshot import SHIPPED_NORWAY_POPULATION, population_read
from dugnad.units.registry.snapshot import SHIPPED_NORWAY, Snapshot, UnitRecord, snapshot_read

UNIT_FIELDS = ("name", "name_nn", "name_en", "other_names", "valid_to", "parent_id", "level_id")
CHANGE_FIELDS = ("change_type", "old_name", "new_name", "weight", "weight_basis", "level_id")


@dataclass
class RegistryLoadResult:
    """What loading a registry snapshot created and updated."""

    country: str = ""
    counts: dict[str, list[int]] = field(default_factory=lambda: {"levels": [0, 0], "units": [0, 0], "changes": [0, 0]})
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether anything was created or updated."""
        return any(created or updated for created, updated in self.counts.values())

    def summary(self) -> str:
        """One line for the CLI, in Norwegian."""
        levels, units, changes = (self.counts[k] for k in ("levels", "units", "changes"))
        return (
            f"{self.country}: {self.totals.get('units', 0)} enheter på {self.totals.get('levels', 0)} nivåer, "
            f"{self.totals.get('changes', 0)} kodeendringer (nye: {levels[0]} nivåer, {units[0]} enheter, "
            f"{changes[0]} kodeendringer; oppdatert: {levels[1] + units[1] + changes[1]})."
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _sync_levels(snapshot: Snapshot, result: RegistryLoadResult) -> dict[str, Level]:
    existing = {lv.code: lv for lv in Level.objects.all()}
    for record in snapshot.levels:
        values = {"name_nb": record.name_nb, "name_nn": record.name_nn, "name_en": record.name_en, "rank": record.rank}
        level = existing.get(record.code)
        if level is None:
            existing[record.code] = Level.objects.create(code=record.code, **values)
            result.counts["levels"][0] += 1
        elif any(getattr(level, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(level, k, v)
            level.save()
            result.counts["levels"][1] += 1
    return existing


def _parent_id(record: UnitRecord, rows_by_code: dict[str, list[Unit]]) -> int | None:
    if record.parent is None:
        return None
    start = _date(record.valid_from)
    for row in rows_by_code.get(record.parent, []):
        if row.valid_from <= start and (row.valid_to is None or start < row.valid_to):  # type: ignore[operator]
            return row.pk
    return None


def _sync_units(snapshot: Snapshot, levels: dict[str, Level], result: RegistryLoadResult) -> None:
    codes = {u.code for u in snapshot.units}
    rows: dict[tuple[str, dt.date], Unit] = {(u.code, u.valid_from): u for u in Unit.objects.filter(code__in=codes)}
    ranks = {lv.code: lv.rank for lv in snapshot.levels}
    for rank in sorted(set(ranks.values())):
        rows_by_code: dict[str, list[Unit]] = {}
        for unit in rows.values():
            rows_by_code.setdefault(unit.code, []).append(unit)
        new, changed = [], []
        for record in (u for u in snapshot.units if ranks[u.level] == rank):
            values = {
                "name": record.name, "name_nn": record.name_nn, "name_en": record.name_en,
                "other_names": record.other_names, "valid_to": _date(record.valid_to),
                "parent_id": _parent_id(record, rows_by_code), "level_id": levels[record.level].pk,
            }
            unit = rows.get((record.code, _date(record.valid_from)))  # type: ignore[arg-type]
            if unit is None:
                new.append(Unit(code=record.code, valid_from=_date(record.valid_from), **values))
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                changed.append(unit)
        Unit.objects.bulk_create(new, batch_size=500)
        Unit.objects.bulk_update(changed, UNIT_FIELDS, batch_size=500)
        result.counts["units"][0] += len(new)
        result.counts["units"][1] += len(changed)
        if new:
            rows.update({(u.code, u.valid_from): u for u in Unit.objects.filter(code__in={u.code for u in new})})


def _sync_changes(snapshot: Snapshot, levels: dict[str, Level], result: RegistryLoadResult) -> None:
    rows = {(c.old_code, c.new_code, c.date): c for c in CodeChange.objects.all()}
    new, changed = [], []
    for record in snapshot.code_changes:
        values = {
            "change_type": record.type, "old_name": record.old_name, "new_name": record.new_name,
            "weight": record.weight, "weight_basis": record.weight_basis,
            "level_id": levels[record.level].pk if record.level in levels else None,
        }
        key = (record.old_code, record.new_code, _date(record.date))
        row = rows.get(key)  # type: ignore[arg-type]
        if row is None:
            new.append(CodeChange(old_code=key[0], new_code=key[1], date=key[2], **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    CodeChange.objects.bulk_create(new, batch_size=500)
    CodeChange.objects.bulk_update(changed, CHANGE_FIELDS, batch_size=500)
    result.counts["changes"] = [len(new), len(changed)]


@transaction.atomic
def registry_load_snapshot(*, path: Path | None = None) -> RegistryLoadResult:
    """Load a registry snapshot (default: the shipped Norwegian one) into the database; re-running changes
    nothing. Units are matched by code and valid_from and never deleted; their ``attributes`` are left alone."""
    snapshot = snapshot_read(path or SHIPPED_NORWAY)
    result = RegistryLoadResult(country=snapshot.country)
    levels = _sync_levels(snapshot, result)
    _sync_units(snapshot, levels, result)
    _sync_changes(snapshot, levels, result)
    result.totals = {"levels": len(snapshot.levels), "units": len(snapshot.units), "changes": len(snapshot.code_changes)}
    return result


@dataclass
class PopulationLoadResult:
    """What loading a population snapshot created and updated."""

    created: int = 0
    updated: int = 0
    total: int = 0
    years: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI, in Norwegian."""
        years = ", ".join(map(str, self.years)) or "–"
        return f"Folketall 1. januar {years}: {self.total} tall (nye: {self.created}, oppdatert: {self.updated})."


@transaction.atomic
def population_load_snapshot(*, path: Path | None = None) -> PopulationLoadResult:
    """Load a population snapshot (default: the shipped Norwegian one); every figure must belong to a unit
    valid on 1 January of its year (else InputError, nothing loaded). Re-running changes nothing."""
    source = path or SHIPPED_NORWAY_POPULATION
    snapshot = population_read(source)
    report = ValidationReport(source=str(source))
    wanted: dict[tuple[str, int], tuple[int, str]] = {}
    for i, figure in enumerate(snapshot.figures):
        valid = set(Unit.objects.valid_on(dt.date(figure.year, 1, 1)).filter(code__in=list(figure.values))
                    .values_list("code", flat=True))
        for code, value in figure.values.items():
            if code not in valid:
                report.add(f"no unit {code} valid on {figure.year}-01-01 (load the unit registry first)",
                           file=str(source), path=f"figures[{i}].values.{code}")
            elif (code, figure.year) in wanted:
                report.add(f"{code} has two figures for {figure.year}", file=str(source), path=f"figures[{i}]")
            wanted[(code, figure.year)] = (value, figure.basis)
    if not report.ok:
        raise InputError(report)
    rows = {(p.code, p.year): p for p in Population.objects.filter(year__in=snapshot.years)}
    new, changed = [], []
    for (code, year), (value, basis) in wanted.items():
        row = rows.get((code, year))
        if row is None:
            new.append(Population(code=code, year=year, value=value, basis=basis))
        elif (row.value, row.basis) != (value, basis):
            row.value, row.basis = value, basis
            changed.append(row)
    Population.objects.bulk_create(new, batch_size=500)
    Population.objects.bulk_update(changed, ["value", "basis"], batch_size=500)
    return PopulationLoadResult(len(new), len(changed), len(wanted), snapshot.years)
