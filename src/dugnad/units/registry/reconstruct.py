"""Code lists of versions a Klass source lacks, rebuilt backwards from the next version and the change list."""

from __future__ import annotations

from collections import defaultdict

from dugnad.analytics.report import ValidationReport
from dugnad.units.registry.changes import RawChange

#: One item of a version: code, name, name_nn, name_en.
Item = tuple[str, str, str, str]


def items_before(
    after: list[Item], changes: list[RawChange], *, start: str, end: str, report: ValidationReport, label: str
) -> list[Item]:
    """The items valid from ``start`` up to ``end``, given the items valid from ``end``: the changes dated
    after ``start`` and on or before ``end`` are undone, newest first (new codes removed, old codes put back
    with their old names). A change dated strictly inside the period cannot be placed in one version and is
    reported, as is a change list that does not fit the items (a new code missing, an old code already there)."""
    by_date: dict[str, list[RawChange]] = defaultdict(list)
    for change in changes:
        if start < change.date <= end:
            by_date[change.date].append(change)
    inside = sorted(d for d in by_date if d != end)
    if inside:
        report.add(f"code changes on {', '.join(inside)} fall inside {label} ({start}–{end}); it cannot be "
                   "reconstructed as one version", path="codeChanges")
        return []
    items = {code: (code, name, nn, en) for code, name, nn, en in after}
    for date in sorted(by_date, reverse=True):
        group = sorted(by_date[date], key=lambda c: (c.old_code, c.new_code))
        for new in sorted({c.new_code for c in group}):
            if items.pop(new, None) is None:
                report.add(f"the change list makes {new} on {date}, but the version from {date} has no {new}",
                           path="codeChanges", value=new)
        for change in group:
            if change.old_code in items and items[change.old_code][1] != change.old_name:
                report.add(f"{change.old_code} has two names before {date} in the change list",
                           path="codeChanges", value=change.old_code)
            items[change.old_code] = (change.old_code, change.old_name, "", "")
    return sorted(items.values())
