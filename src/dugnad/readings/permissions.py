"""Permission rules of the shared readings: who proposes, comments on and agrees the reading of a unit.

- **Propose or edit** (write a new version): the unit's editors (``units_editable_by``: a municipal editor for the
  municipality, a county editor or coordinator for the county, KS for the country), and whoever agrees it.
- **Comment**: anyone with a role on the unit or on a unit above it (a reader of Bergen, Vestland's coordinator and
  KS may all comment on Bergen's reading).
- **Agree** (and reopen): the role that speaks for the level: the national coordinator (KS) on the country unit for
  the national reading, the county coordinator of that county, a municipal editor of that municipality.

Administrators may do everything. Rules take the unit; none repeats a membership filter elsewhere.
"""

from __future__ import annotations

from dugnad.accounts.permissions import can_view_unit, is_administrator, memberships_of, units_editable_by
from dugnad.accounts.vocab import Role

#: The role that agrees the reading of a unit, by the unit's level code.
AGREEING_ROLES = {"country": Role.NATIONAL_COORDINATOR, "county": Role.COUNTY_COORDINATOR,
                  "municipality": Role.MUNICIPAL_EDITOR}


def unit_and_above(unit) -> list[int]:
    """The ids of the unit and of every unit above it (its county, the country)."""
    ids, current = [], unit
    while current is not None and len(ids) < 10:
        ids.append(current.pk)
        current = current.parent
    return ids


def can_agree_reading(user, unit) -> bool:
    """Whether the user may agree (or reopen) the unit's reading: the role that speaks for the unit's level."""
    if is_administrator(user):
        return True
    role = AGREEING_ROLES.get(unit.level.code)
    return role is not None and any(m.role == role and m.unit_id == unit.pk for m in memberships_of(user))


def can_propose_reading(user, unit) -> bool:
    """Whether the user may write a new version of the unit's reading: its editors, or whoever agrees it."""
    if unit is None or unit.level.code not in AGREEING_ROLES:
        return False
    return can_agree_reading(user, unit) or units_editable_by(user).filter(pk=unit.pk).exists()


def can_comment_reading(user, unit) -> bool:
    """Whether the user may comment on the unit's reading: a role on the unit or on a unit above it."""
    if is_administrator(user):
        return True
    above = set(unit_and_above(unit))
    return any(m.unit_id in above for m in memberships_of(user))


def can_view_reading_work(user, unit) -> bool:
    """Whether the user may follow the work on the unit's reading (proposals and comments before agreement)."""
    return can_comment_reading(user, unit) or can_view_unit(user, unit)


def reading_units_of(user) -> list:
    """The units whose readings the user has a role on (own memberships' units, country first), for links."""
    seen, units = set(), []
    for m in sorted(memberships_of(user), key=lambda m: (m.unit.level.rank, m.unit.code)):
        if m.unit_id not in seen and m.unit.level.code in AGREEING_ROLES:
            seen.add(m.unit_id)
            units.append(m.unit)
    return units
