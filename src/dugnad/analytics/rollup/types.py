"""Records and vocabularies of the roll-up: weighting, basis, direction, members, goalposts and result rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple


class Weighting(StrEnum):
    """How members are weighted in a roll-up."""

    POPULATION = "population"
    NONE = "none"

    @property
    def label_nb(self) -> str:
        """Norwegian (bokmål) label."""
        return {"population": "Befolkningsvektet snitt", "none": "Uvektet snitt"}[self.value]


class Basis(StrEnum):
    """Which units count as a parent's members."""

    LEAVES = "leaves"
    CHILDREN = "children"

    @property
    def label_nb(self) -> str:
        """Norwegian (bokmål) label."""
        return {"leaves": "Fra laveste nivå (kommunene)", "children": "Fra nærmeste nivå (snitt av snitt)"}[self.value]


class Aggregation(StrEnum):
    """How member values combine: the (weighted) mean for rates and shares, the sum for counts."""

    MEAN = "mean"
    SUM = "sum"


class Direction(StrEnum):
    """Which way is better for an indicator."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Member:
    """A unit in the roll-up tree: its code, its parent's code and its population."""

    code: str
    parent: str | None = None
    population: float | None = None
    name: str = ""


@dataclass(frozen=True)
class Goalpost:
    """The target of one indicator and which way is better, used for gaps and contributions."""

    indicator: str
    direction: Direction = Direction.HIGHER
    target: float | None = None
    target_source: str = ""
    aggregation: Aggregation = field(default_factory=lambda: Aggregation.MEAN)

    @classmethod
    def from_spec(
        cls,
        indicator: str,
        *,
        upper_bound: float | None = None,
        lower_bound: float | None = None,
        green: float | None = None,
        red: float | None = None,
        target: float | None = None,
        direction: str | None = None,
        aggregation: str | None = None,
    ) -> Goalpost:
        """The goalpost implied by an indicator spec.

        Direction: explicit ``direction`` when given, else lower-is-better when ``upper_bound <
        lower_bound``, else when ``green < red``, else higher-is-better. Target: explicit ``target``
        (e.g. the 2030 target), else the green threshold, else the upper bound, else none.
        Aggregation: ``sum`` for counts (no target or gap), else the mean.
        """
        how = Aggregation(aggregation or "mean")
        if how is Aggregation.SUM:
            return cls(indicator=indicator, direction=Direction(direction or "higher"), aggregation=how)
        if direction:
            way = Direction(direction)
        elif upper_bound is not None and lower_bound is not None and upper_bound != lower_bound:
            way = Direction.LOWER if upper_bound < lower_bound else Direction.HIGHER
        elif green is not None and red is not None and green != red:
            way = Direction.LOWER if green < red else Direction.HIGHER
        else:
            way = Direction.HIGHER
        for value, source in ((target, "target"), (green, "green"), (upper_bound, "upper_bound")):
            if value is not None:
                return cls(indicator=indicator, direction=way, target=float(value), target_source=source, aggregation=how)
        return cls(indicator=indicator, direction=way)

    def shortfall(self, value: float) -> float | None:
        """How far a value is behind the target, in the indicator's units (0 when at or past it)."""
        if self.target is None:
            return None
        return max(0.0, self.distance(value))

    def distance(self, value: float) -> float:
        """Signed distance to the target, positive when behind it (``target - x``, or ``x - target`` when lower is better)."""
        assert self.target is not None
        return self.target - value if self.direction is Direction.HIGHER else value - self.target


class Contribution(NamedTuple):
    """One member's part in a parent's roll-up and in its gap to target.

    ``weight`` is the member's weight normalised over the members with data (0 without data);
    ``shortfall`` is how far the member is behind the target (0 when at or past it);
    ``contribution = weight × shortfall`` and ``share = contribution / gap``.
    """

    member: str
    value: float | None
    population: float | None
    weight: float
    shortfall: float | None
    contribution: float | None
    share: float | None

    @property
    def has_data(self) -> bool:
        """Whether the member has a value."""
        return self.value is not None


@dataclass(frozen=True)
class MemberParts:
    """The per-member columns a roll-up row's contributions are built from (parallel sequences)."""

    codes: Sequence[str]
    values: Sequence[float | None]
    populations: Sequence[float | None]
    weights: Sequence[float]
    shortfalls: Sequence[float | None]


@dataclass(frozen=True)
class RollupRow:
    """The roll-up of one indicator and period for one parent, with coverage, published value and gap."""

    parent: str
    indicator: str
    period: str
    weighting: Weighting
    basis: Basis
    value: float | None
    published: float | None
    members: int
    members_with_data: int
    population: float | None
    population_with_data: float | None
    direction: Direction
    target: float | None
    target_source: str
    gap: float | None
    rollup_gap: float | None
    aggregation: Aggregation = Aggregation.MEAN
    parts: MemberParts | None = field(default=None, repr=False, compare=False)

    @cached_property
    def contributions(self) -> tuple[Contribution, ...]:
        """Each member's value, weight, shortfall, contribution and share of the gap, in member order (built on demand)."""
        p = self.parts
        if p is None:
            return ()
        gap = self.gap
        out = []
        for code, value, population, weight, shortfall in zip(p.codes, p.values, p.populations, p.weights, p.shortfalls,
                                                              strict=True):  # fmt: skip
            c = weight * shortfall if shortfall is not None else None
            out.append(Contribution(code, value, population, weight, shortfall, c, c / gap if c is not None and gap else None))
        return tuple(out)

    @property
    def member_coverage(self) -> float:
        """Share of members with data (0–1)."""
        return self.members_with_data / self.members if self.members else 0.0

    @property
    def population_coverage(self) -> float | None:
        """Share of the members' population with data (0–1), None when a population is unknown."""
        if self.population is None or self.population_with_data is None or self.population <= 0:
            return None
        return self.population_with_data / self.population

    @property
    def difference(self) -> float | None:
        """Roll-up minus published value, when both exist."""
        if self.value is None or self.published is None:
            return None
        return self.value - self.published


ROLLUP_COLUMNS: tuple[str, ...] = (
    "parent", "indicator", "period", "weighting", "basis", "aggregation", "value", "published", "difference",
    "members", "members_with_data", "member_coverage", "population", "population_with_data",
    "population_coverage", "direction", "target", "target_source", "gap", "rollup_gap",
)  # fmt: skip

CONTRIBUTION_COLUMNS: tuple[str, ...] = (
    "parent", "indicator", "period", "member", "value", "population", "weight", "shortfall", "contribution", "share",
)


def rollup_record(row: RollupRow) -> dict[str, object]:
    """One roll-up row as a flat dictionary in ``ROLLUP_COLUMNS`` order."""
    return {
        "parent": row.parent, "indicator": row.indicator, "period": row.period,
        "weighting": row.weighting.value, "basis": row.basis.value, "aggregation": row.aggregation.value, "value": row.value,
        "published": row.published, "difference": row.difference, "members": row.members,
        "members_with_data": row.members_with_data, "member_coverage": row.member_coverage,
        "population": row.population, "population_with_data": row.population_with_data,
        "population_coverage": row.population_coverage, "direction": row.direction.value,
        "target": row.target, "target_source": row.target_source, "gap": row.gap, "rollup_gap": row.rollup_gap,
    }  # fmt: skip


def contribution_records(row: RollupRow) -> list[dict[str, object]]:
    """The member contributions of one roll-up row as flat dictionaries in ``CONTRIBUTION_COLUMNS`` order."""
    return [
        {
            "parent": row.parent, "indicator": row.indicator, "period": row.period, "member": c.member,
            "value": c.value, "population": c.population, "weight": c.weight, "shortfall": c.shortfall,
            "contribution": c.contribution, "share": c.share,
        }
        for c in row.contributions
    ]
