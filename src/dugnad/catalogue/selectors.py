"""Reads of the catalogue: goals, frameworks, indicators, concordance and the current indicator specifications."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from dugnad.catalogue.models import Concordance, Framework, Goal, Indicator, IndicatorSpec, Target
from dugnad.catalogue.spec_csv import SCORING_COLUMNS
from dugnad.catalogue.vocab import Relation

#: Relations under which one value counts for the linked indicator too.
COUNTING_RELATIONS: tuple[str, ...] = (Relation.SAME.value, Relation.CLOSE.value)


def goals_by_number() -> dict[int, Goal]:
    """The goals by number (one query)."""
    return {g.number: g for g in Goal.objects.all()}


def goals_list() -> QuerySet[Goal]:
    """The 17 goals in order, with the number of targets each has."""
    return Goal.objects.annotate(target_count=Count("targets")).order_by("number")


def targets_of(goal: int) -> QuerySet[Target]:
    """The targets of one goal, in official order (1.9 before 1.10, numbers before letters)."""
    return Target.objects.filter(goal_id=goal).order_by("sort_key")


def frameworks_list() -> QuerySet[Framework]:
    """All frameworks by code, with their number of indicators."""
    return Framework.objects.annotate(indicator_count=Count("indicators")).order_by("code")


def indicators_of(framework: str) -> QuerySet[Indicator]:
    """The indicators of a framework (by framework code), with goals and targets prefetched."""
    return (
        Indicator.objects.filter(framework__code=framework)
        .select_related("framework")
        .prefetch_related("goals", "targets")
        .order_by("code")
    )


def indicator_by_code(framework: str, code: str) -> Indicator | None:
    """One indicator addressed by framework code and indicator code (UN: ``un-sdg-indicators``, ``3.2.1``), or None."""
    return Indicator.objects.select_related("framework").filter(framework__code=framework, code=code).first()


def un_indicator(code: str) -> Indicator | None:
    """A UN global indicator by its official code, e.g. ``3.2.1``."""
    return indicator_by_code("un-sdg-indicators", code)


def frameworks_counting(indicator: Indicator, *, relations: tuple[str, ...] = COUNTING_RELATIONS) -> list[Indicator]:
    """The indicators (in any framework) one value of this indicator counts for, the indicator itself first.

    Follows concordance links in both directions: ``same`` links transitively, other counting relations
    (default ``close``) one step from any indicator of the ``same`` group.
    """
    same = Relation.SAME.value
    group, queue = {indicator.pk}, deque([indicator.pk])
    while queue:
        pk = queue.popleft()
        for other in _neighbours(pk, (same,)):
            if other not in group:
                group.add(other)
                queue.append(other)
    extra = set()
    others = tuple(r for r in relations if r != same)
    if others:
        for pk in group:
            extra |= _neighbours(pk, others)
    pks = (group | extra) if same in relations else ({indicator.pk} | extra)
    found = Indicator.objects.select_related("framework").filter(pk__in=pks).order_by("framework__code", "code")
    return [indicator] + [i for i in found if i.pk != indicator.pk]


def _neighbours(pk: int, relations: tuple[str, ...]) -> set[int]:
    rows = Concordance.objects.filter(Q(source_id=pk) | Q(target_id=pk), relation__in=relations).values_list(
        "source_id", "target_id"
    )
    return {b if a == pk else a for a, b in rows}


def indicator_specs_current(
    framework: str | None = None, *, on: dt.date | None = None, indicators: Iterable | None = None
) -> list[IndicatorSpec]:
    """The spec in force: the latest version of each indicator's specification (valid on ``on`` when given).

    Of one framework, or of the given indicators (objects or ids), or of all; one query. Every reader
    of "the spec in force" goes through this function.
    """
    specs = IndicatorSpec.objects.select_related("indicator", "indicator__framework").order_by(
        "indicator__framework__code", "indicator__code", "-version"
    )
    if framework:
        specs = specs.filter(indicator__framework__code=framework)
    if indicators is not None:
        specs = specs.filter(indicator__in=[getattr(i, "pk", i) for i in indicators])
    if on is not None:
        specs = specs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
    current: dict[int, IndicatorSpec] = {}
    for spec in specs:
        current.setdefault(spec.indicator_id, spec)
    return list(current.values())


def indicator_specs_in_force(indicators: Iterable, *, on: dt.date | None = None) -> dict[int, IndicatorSpec]:
    """The spec in force of each indicator (valid today by default), by indicator id; indicators without one are absent."""
    return {s.indicator_id: s for s in indicator_specs_current(on=on or dt.date.today(), indicators=indicators)}


def spec_applies_to_level(spec: IndicatorSpec | None, level: str) -> bool:
    """Whether units of a level (``municipality``, ``county``, ``country``) report an indicator: its spec's
    ``applies_to`` rule (the scoring engine's unit-tag rule, the level code being a unit's first tag) matches the
    level; an indicator without a spec or without a rule applies to every level."""
    from dugnad.analytics.scoring.engine import tag_rule_applies

    return spec is None or tag_rule_applies(level, spec.applies_to or "")


def is_county_level(spec: IndicatorSpec | None) -> bool:
    """Whether a spec makes its indicator county-level: it applies to counties and not to municipalities (the
    county authority's own responsibilities: upper secondary school, county roads, public transport, dental care)."""
    return (spec is not None and bool((spec.applies_to or "").strip()) and spec_applies_to_level(spec, "county")
            and not spec_applies_to_level(spec, "municipality"))


def indicators_for_level(indicators: Iterable, level: str, *, specs: dict[int, IndicatorSpec] | None = None) -> list:
    """The indicators (in the given order) whose spec in force applies to units of the level (``spec_applies_to_level``):
    a municipal round grid leaves out the county-level indicators; a county's grid has them."""
    indicators = list(indicators)
    specs = specs if specs is not None else indicator_specs_in_force(indicators)
    return [i for i in indicators if spec_applies_to_level(specs.get(getattr(i, "pk", i)), level)]


def county_level_indicators(*, on: dt.date | None = None) -> list[Indicator]:
    """Every indicator whose spec in force is county-level (``is_county_level``), by goal and code."""
    specs = [s for s in indicator_specs_current(on=on or dt.date.today()) if is_county_level(s)]
    return [s.indicator for s in sorted(specs, key=lambda s: (s.goal_id or 99, s.indicator.framework.code, s.indicator.code))]


def indicator_spec_in_force(indicator, *, on: dt.date | None = None) -> IndicatorSpec | None:
    """The spec in force of one indicator (valid today by default), or None."""
    return indicator_specs_in_force([indicator], on=on).get(getattr(indicator, "pk", indicator))


def indicator_specs_table(framework: str | None = None) -> list[dict]:
    """Current specifications as rows with exactly the scoring CSV columns (``indicator, goal, label, …``).

    ``indicator`` is the indicator code; without a framework, codes must be unique across frameworks
    (otherwise ValueError, since the scoring engine keys on the code alone).
    """
    rows, seen = [], {}
    for spec in indicator_specs_current(framework):
        code = spec.indicator.code
        if code in seen:
            raise ValueError(
                f"indicator code {code!r} has specs in frameworks {seen[code]!r} and "
                f"{spec.indicator.framework.code!r}; pass framework="
            )
        seen[code] = spec.indicator.framework.code
        row = {
            "indicator": code, "goal": spec.goal_id, "label": spec.label or spec.indicator.name_nb,
            "upper_bound": spec.upper_bound, "lower_bound": spec.lower_bound, "green": spec.green, "red": spec.red,
            "in_index": spec.in_index, "applies_to": spec.applies_to, "trend_from": spec.trend_from, "trend_to": spec.trend_to,
        }
        rows.append({column: row[column] for column in SCORING_COLUMNS})
    return rows


def frameworks_all() -> QuerySet[Framework]:
    """Every framework, by code."""
    return Framework.objects.order_by("code")


def framework_exists(code: str) -> bool:
    """Whether a framework with this code exists."""
    return Framework.objects.filter(code=code).exists()


def framework_get(code: str) -> Framework | None:
    """The framework with this code, or None."""
    return Framework.objects.filter(code=code).first()


def targets_by_codes(codes) -> list[Target]:
    """The targets with these codes."""
    return list(Target.objects.filter(code__in=list(codes)))


def indicators_by_ids(ids) -> list[Indicator]:
    """The indicators with these primary keys, by primary key."""
    return list(Indicator.objects.filter(pk__in=list(ids)).order_by("pk"))


def indicators_of_framework(framework: Framework | None) -> QuerySet[Indicator]:
    """The framework's indicators by code (none without a framework), e.g. as form choices."""
    return Indicator.objects.filter(framework=framework).order_by("code") if framework else Indicator.objects.none()


def _id(value) -> int | None:
    """A primary key from a path or form value, or None when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def indicator_get(pk) -> Indicator | None:
    """The indicator with this id (a number or its text), with its framework, or None."""
    pk = _id(pk)
    return Indicator.objects.select_related("framework").filter(pk=pk).first() if pk is not None else None


def targets_all(*, goal: int | None = None) -> QuerySet[Target]:
    """Every target (of one goal when given), by goal and official order."""
    targets = Target.objects.all() if goal is None else Target.objects.filter(goal_id=goal)
    return targets.order_by("goal_id", "sort_key")


def indicators_all(*, framework: str | None = None, goal: int | None = None) -> QuerySet[Indicator]:
    """Every indicator (of one framework and/or goal when given), with framework, goals and targets, by framework
    and code."""
    indicators = Indicator.objects.select_related("framework").prefetch_related("goals", "targets")
    if framework:
        indicators = indicators.filter(framework__code=framework)
    if goal is not None:
        indicators = indicators.filter(goals__number=goal).distinct()
    return indicators.order_by("framework__code", "code")
