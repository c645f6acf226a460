"""The parent/child tree of the units being rolled up."""

from __future__ import annotations

from collections.abc import Sequence

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.rollup.types import Member


class UnitTree:
    """The parent/child structure of a set of members, checked for unknown parents and cycles."""

    def __init__(self, members: Sequence[Member]):
        report = ValidationReport(source="units")
        self.members: dict[str, Member] = {}
        for m in members:
            if m.code in self.members:
                report.add("unit code occurs twice", value=m.code)
            self.members[m.code] = m
        self.children: dict[str, list[str]] = {}
        for m in self.members.values():
            if m.parent:
                if m.parent not in self.members:
                    report.add(f"unit {m.code}: parent is not a known unit", column="parent", value=m.parent)
                    continue
                self.children.setdefault(m.parent, []).append(m.code)
        self._leaves: dict[str, list[str]] = {}
        for code in self.members:
            self._check_cycle(code, report)
        if not report.ok:
            raise InputError(report)

    def _check_cycle(self, code: str, report: ValidationReport) -> None:
        seen = {code}
        current = self.members[code].parent
        while current and current in self.members:
            if current in seen:
                report.add(f"unit {code}: the parent chain loops back on itself", column="parent", value=current)
                return
            seen.add(current)
            current = self.members[current].parent

    @property
    def parents(self) -> list[str]:
        """Units with at least one child, deepest first (so children are rolled up before their parents)."""
        return sorted(self.children, key=lambda c: (-self.depth(c), c))

    def depth(self, code: str) -> int:
        """Number of ancestors of a unit."""
        n, current = 0, self.members[code].parent
        while current:
            n, current = n + 1, self.members[current].parent
        return n

    def leaves(self, code: str) -> list[str]:
        """The lowest-level descendants of a unit (the unit itself when it has no children)."""
        if code not in self._leaves:
            kids = self.children.get(code)
            self._leaves[code] = [leaf for kid in sorted(kids) for leaf in self.leaves(kid)] if kids else [code]
        return self._leaves[code]

    def population(self, code: str) -> float | None:
        """A unit's population: its own figure, else the sum over its leaves (None when one is unknown)."""
        own = self.members[code].population
        if own is not None:
            return own
        kids = self.children.get(code)
        if not kids:
            return None
        pops = [self.members[leaf].population for leaf in self.leaves(code)]
        return None if any(p is None for p in pops) else float(sum(pops))  # type: ignore[arg-type]
