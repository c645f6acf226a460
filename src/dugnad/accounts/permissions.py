"""Permission rules: which units a user may read, edit and review, as named functions.

Every view, API endpoint and service asks these rules; none repeats a membership filter.
Rules about submissions and rounds take duck-typed objects (``unit_id``, ``is_editable``,
``scope_unit_id``) so this lower layer never imports the rounds app.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from dugnad.accounts import rows
from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.units.models import Level, Unit

#: Roles that write their own unit's submission: the municipal and county editors, the county coordinator for its
#: county's own submission and KS for the national chapters (the country's submission).
EDITOR_ROLES = frozenset({Role.MUNICIPAL_EDITOR, Role.COUNTY_EDITOR, Role.COUNTY_COORDINATOR, Role.NATIONAL_COORDINATOR})
REVIEWER_ROLES = frozenset({Role.COUNTY_COORDINATOR, Role.NATIONAL_COORDINATOR})
ROUND_OPENER_ROLES = frozenset({Role.COUNTY_COORDINATOR, Role.NATIONAL_COORDINATOR})
PUBLISHER_ROLES = frozenset(role for role in Role if role.can_edit)

_CACHE_ATTR = "_dugnad_memberships"


def memberships_of(user) -> list[Membership]:
    """The memberships of a signed-in user with their units and levels (cached on the user object for one request).

    Every signed-in request reads them, so they are read by one fixed SQL statement (``accounts.rows``: the same
    instances the ORM's ``select_related("unit__level")`` builds, without compiling the query each time)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _memberships_read(user.pk)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _memberships_read(user_id: int) -> list[Membership]:
    """The user's memberships, each with its unit and the unit's level, in the order they were given."""
    tables = {model: connection.ops.quote_name(model._meta.db_table) for model in (Membership, Unit, Level)}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(Membership, 'm')}, {rows.columns(Unit, 'u')}, {rows.columns(Level, 'l')} "
            f"FROM {tables[Membership]} m JOIN {tables[Unit]} u ON u.id = m.unit_id "
            f"JOIN {tables[Level]} l ON l.id = u.level_id WHERE m.user_id = %s ORDER BY m.id", [user_id])
        found = cursor.fetchall()
    a, b = rows.width(Membership), rows.width(Membership) + rows.width(Unit)
    memberships = []
    for row in found:
        membership, unit = rows.instance(Membership, row[:a]), rows.instance(Unit, row[a:b])
        unit.level = rows.instance(Level, row[b:])
        membership.unit = unit
        memberships.append(membership)
    return memberships


def is_administrator(user) -> bool:
    """Whether the user is a superuser or holds the administrator role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or any(m.role == Role.ADMINISTRATOR for m in memberships_of(user))


def _reach(unit: Unit) -> Q:
    """The unit itself and every unit below it (top-level units reach everything)."""
    if unit.level.rank == 0:
        return Q(pk__isnull=False)
    return Q(pk=unit.pk) | Q(parent_id=unit.pk) | Q(parent__parent_id=unit.pk)


def _below(unit: Unit) -> Q:
    """Every unit below the unit, not the unit itself."""
    if unit.level.rank == 0:
        return ~Q(pk=unit.pk)
    return Q(parent_id=unit.pk) | Q(parent__parent_id=unit.pk)


def _units_by_roles(user, roles, *, reach: bool, only_below: bool = False) -> QuerySet[Unit]:
    """Units covered by the user's memberships with one of the roles (below them too when ``reach``; only the units
    below, not the membership's own unit, when ``only_below``)."""
    if is_administrator(user):
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        if membership.role not in roles:
            continue
        extends = reach and Role(membership.role).reaches_children
        if only_below:
            condition |= _below(membership.unit) if extends else Q(pk__in=[])
        else:
            condition |= _reach(membership.unit) if extends else Q(pk=membership.unit_id)
    return Unit.objects.filter(condition)


def units_visible_to(user) -> QuerySet[Unit]:
    """Units the user may read: own units, and every unit below them for roles that reach children."""
    return _units_by_roles(user, set(Role), reach=True)


def units_editable_by(user) -> QuerySet[Unit]:
    """Units whose submissions the user may edit: an editor's own municipality or county, a county coordinator's
    own county and KS's country unit (the national chapters)."""
    return _units_by_roles(user, EDITOR_ROLES, reach=False)


def units_reviewable_by(user) -> QuerySet[Unit]:
    """Units whose submissions the user may review: the units below a coordinator's unit (a county coordinator its
    municipalities, KS the counties and municipalities), never the coordinator's own unit."""
    return _units_by_roles(user, REVIEWER_ROLES, reach=True, only_below=True)


def units_publishable_by(user) -> QuerySet[Unit]:
    """Units whose reports the user may have made: units of a writing role, and the units below for coordinators."""
    return _units_by_roles(user, PUBLISHER_ROLES, reach=True)


def _reaches(user, roles, unit, *, reach: bool, only_below: bool = False) -> bool:
    """Whether ``unit`` is among ``_units_by_roles(user, roles, …)``, decided in Python from the memberships cached
    for the request (no query; ``unit.parent`` is read for a coordinator's grandchildren unless already loaded).

    The same rule as the query: ``_reach`` / ``_below`` of each membership with one of the roles.
    """
    if is_administrator(user):
        return True
    for membership in memberships_of(user):
        if membership.role not in roles:
            continue
        extends = reach and Role(membership.role).reaches_children
        if not extends:
            if not only_below and membership.unit_id == unit.pk:
                return True
            continue
        top = membership.unit
        if top.level.rank == 0:
            if not only_below or unit.pk != top.pk:
                return True
            continue
        if (not only_below and unit.pk == top.pk) or unit.parent_id == top.pk:
            return True
        if unit.parent_id is not None and unit.parent.parent_id == top.pk:
            return True
    return False


def can_view_unit(user, unit) -> bool:
    """Whether the user may read data about this unit."""
    return _reaches(user, set(Role), unit, reach=True)


def can_open_round(user, scope_unit) -> bool:
    """Whether the user may open a round over the units below ``scope_unit``.

    A national coordinator opens rounds for the country unit (all units); a county coordinator
    for its own county (the county's municipalities); an administrator for any unit.
    """
    if is_administrator(user):
        return True
    return any(m.role in ROUND_OPENER_ROLES and m.unit_id == scope_unit.pk for m in memberships_of(user))


def can_manage_round(user, round_) -> bool:
    """Whether the user may change or close a round: whoever may open a round over its scope."""
    return can_open_round(user, round_.scope_unit)


def can_view_submission(user, submission) -> bool:
    """Whether the user may read a submission: it belongs to a unit the user can see."""
    return _reaches(user, set(Role), submission.unit, reach=True)


def can_edit_submission(user, submission) -> bool:
    """Whether the user may change a submission's values, narratives and answers now.

    Only the unit's editor (see ``units_editable_by``; or an administrator), and only while the submission is
    editable (draft or returned) in an open round.
    """
    if not submission.is_editable:
        return False
    return _reaches(user, EDITOR_ROLES, submission.unit, reach=False)


def can_submit_submission(user, submission) -> bool:
    """Whether the user may send the submission for review (same rule as editing)."""
    return can_edit_submission(user, submission)


def can_review_submission(user, submission) -> bool:
    """Whether the user may return or approve a submission: a coordinator above the unit."""
    return _reaches(user, REVIEWER_ROLES, submission.unit, reach=True, only_below=True)


def units_round_scopes_for(user) -> QuerySet[Unit]:
    """Units the user may open rounds over (own coordinator units; the country and counties for administrators)."""
    if is_administrator(user):
        return Unit.objects.current().filter(level__code__in=("country", "county")).order_by("code")
    ids = [m.unit_id for m in memberships_of(user) if m.role in ROUND_OPENER_ROLES]
    return Unit.objects.filter(pk__in=ids).order_by("code")
