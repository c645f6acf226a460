"""Survey aggregation for the VSR: shares, means and counts of answers nationally, by county and by size band (pure)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

YES = {"ja", "yes", "true", "1", True}


@dataclass(frozen=True)
class AnswerRow:
    """One answer of one reporting unit to one question, with the unit's county and size band."""

    question: int
    kind: str
    value: object
    county: str
    band: str


@dataclass(frozen=True)
class Aggregate:
    """The answers to one question within one group: how many answered and the summary."""

    question: int
    group: str
    answered: int
    yes_share: float | None = None
    mean: float | None = None
    counts: tuple[tuple[str, int], ...] = ()


def _is_yes(value: object) -> bool:
    return (value.strip().lower() if isinstance(value, str) else value) in YES


def _summary(question: int, kind: str, group: str, values: list) -> Aggregate:
    values = [v for v in values if v not in (None, "")]
    n = len(values)
    if kind == "yes_no":
        return Aggregate(question, group, n, yes_share=(sum(_is_yes(v) for v in values) / n) if n else None)
    if kind == "scale":
        numbers = [float(v) for v in values]
        return Aggregate(question, group, n, mean=(sum(numbers) / n) if n else None)
    if kind == "choice":
        return Aggregate(question, group, n, counts=tuple(sorted(Counter(str(v) for v in values).items())))
    return Aggregate(question, group, n)


def aggregate_answers(rows: list[AnswerRow], *, by: str = "") -> list[Aggregate]:
    """Per question, the answers summarised for the whole set (``by=""``) or per ``county`` or ``band``."""
    groups: dict[tuple[int, str, str], list] = defaultdict(list)
    for row in rows:
        group = getattr(row, by) if by else "all"
        groups[(row.question, row.kind, group)].append(row.value)
    return [_summary(q, kind, group, values) for (q, kind, group), values in sorted(groups.items())]
