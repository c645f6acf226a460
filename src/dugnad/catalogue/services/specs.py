"""Writing indicator specifications: every change makes a new version; CSV loading is all-or-nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from dugnad.analytics.report import InputError
from dugnad.analytics.rollup.types import Direction
from dugnad.catalogue.models import Goal, Indicator, IndicatorSpec
from dugnad.catalogue.spec_csv import read_spec_csv

#: Fields of a specification that make up its content (a change in any of them makes a new version).
SPEC_CONTENT_FIELDS: tuple[str, ...] = (
    "label", "unit_of_measure", "direction", "goal_id", "upper_bound", "lower_bound", "green", "red",
    "target_2030", "trend_from", "trend_to", "in_index", "applies_to", "aggregation", "source", "dimensions",
)
_DEFAULTS = {
    "label": "", "unit_of_measure": "", "direction": Direction.HIGHER.value, "goal_id": None, "upper_bound": None,
    "lower_bound": None, "green": None, "red": None, "target_2030": None, "trend_from": None, "trend_to": None,
    "in_index": True, "applies_to": "", "aggregation": "mean", "source": "", "dimensions": [],
}


class _Unset:
    """Marker for "not given: keep the current version's value"."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


@dataclass
class SpecSaveResult:
    """The current specification after a save, and whether a new version was made."""

    spec: IndicatorSpec
    created: bool


def indicator_spec_current(indicator: Indicator) -> IndicatorSpec | None:
    """The latest version of an indicator's specification, or None."""
    return IndicatorSpec.objects.filter(indicator=indicator).order_by("-version").first()


@transaction.atomic
def indicator_spec_save(
    *,
    indicator: Indicator,
    valid_from: dt.date | None = None,
    label: str | _Unset = UNSET,
    unit_of_measure: str | _Unset = UNSET,
    direction: str | _Unset = UNSET,
    goal: Goal | int | _Unset | None = UNSET,
    upper_bound: float | _Unset | None = UNSET,
    lower_bound: float | _Unset | None = UNSET,
    green: float | _Unset | None = UNSET,
    red: float | _Unset | None = UNSET,
    target_2030: float | _Unset | None = UNSET,
    trend_from: int | _Unset | None = UNSET,
    trend_to: int | _Unset | None = UNSET,
    in_index: bool | _Unset = UNSET,
    applies_to: str | _Unset = UNSET,
    aggregation: str | _Unset = UNSET,
    source: str | _Unset = UNSET,
    dimensions: list[str] | _Unset = UNSET,
) -> SpecSaveResult:
    """Save a specification: a new version when any content field differs from the current one, never an overwrite.

    Fields not given keep the current version's value (or the default for a first version).
    ``valid_from`` describes the version and is not compared.
    """
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()  # serialise versioning per indicator
    current = indicator_spec_current(indicator)
    base = {f: getattr(current, f) for f in SPEC_CONTENT_FIELDS} if current else dict(_DEFAULTS)
    given = {
        "label": label, "unit_of_measure": unit_of_measure, "direction": direction,
        "goal_id": goal.number if isinstance(goal, Goal) else goal, "upper_bound": upper_bound,
        "lower_bound": lower_bound, "green": green, "red": red, "target_2030": target_2030,
        "trend_from": trend_from, "trend_to": trend_to, "in_index": in_index, "applies_to": applies_to,
        "aggregation": aggregation, "source": source, "dimensions": dimensions,
    }
    values = {**base, **{k: v for k, v in given.items() if v is not UNSET}}
    for text_field in ("label", "unit_of_measure", "applies_to", "source"):
        values[text_field] = values[text_field] or ""
    values["direction"] = values["direction"] or _DEFAULTS["direction"]
    values["aggregation"] = values["aggregation"] or _DEFAULTS["aggregation"]
    values["dimensions"] = list(values["dimensions"] or [])
    if current is not None and all(getattr(current, f) == values[f] for f in SPEC_CONTENT_FIELDS):
        return SpecSaveResult(spec=current, created=False)
    spec = IndicatorSpec.objects.create(
        indicator=indicator, version=(current.version + 1) if current else 1, valid_from=valid_from, **values
    )
    return SpecSaveResult(spec=spec, created=True)


@dataclass
class SpecLoadResult:
    """What loading a spec CSV did."""

    rows: int = 0
    created: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI (Norwegian)."""
        return f"{self.rows} rader: {self.created} nye versjoner, {self.unchanged} uendret."


@transaction.atomic
def indicator_specs_load_csv(*, path: Path, framework: str | None = None, valid_from: dt.date | None = None) -> SpecLoadResult:
    """Load specifications from a CSV (scoring columns plus optional ones); raises InputError and writes nothing on any error."""
    rows, report = read_spec_csv(path, framework=framework)
    indicators: dict[int, Indicator] = {}
    if report.ok:
        wanted = {(r.framework, r.indicator) for r in rows}
        found = {
            (i.framework.code, i.code): i
            for i in Indicator.objects.select_related("framework").filter(
                framework__code__in={fw for fw, _ in wanted}, code__in={c for _, c in wanted}
            )
        }
        goals = set(Goal.objects.values_list("number", flat=True))
        for r in rows:
            if r.values.get("goal") is not None and r.values["goal"] not in goals:
                report.add(
                    f"goal {r.values['goal']} is not in the catalogue (run `dugnad init`)", file=path.name, row=r.row,
                    column="goal", value=str(r.values["goal"]),
                )
            indicator = found.get((r.framework, r.indicator))
            if indicator is None:
                report.add(
                    f"no indicator {r.indicator!r} in framework {r.framework!r}", file=path.name, row=r.row,
                    column="indicator", value=r.indicator,
                )
            else:
                indicators[r.row] = indicator
    if not report.ok:
        raise InputError(report)
    result = SpecLoadResult(rows=len(rows), warnings=[str(p) for p in report.warnings])
    for r in rows:
        saved = indicator_spec_save(indicator=indicators[r.row], valid_from=valid_from, **r.values)
        result.created += int(saved.created)
        result.unchanged += int(not saved.created)
    return result
