"""Permission rules of networks as named functions: who may create, coordinate, see, join and write to a network."""

from __future__ import annotations

from dugnad.accounts.permissions import is_administrator, memberships_of, units_visible_to
from dugnad.accounts.vocab import Role
from dugnad.actions.permissions import can_act_for

#: Roles that may start a network led by their own unit.
NETWORK_LEAD_ROLES = frozenset({Role.COUNTY_COORDINATOR, Role.NATIONAL_COORDINATOR})


def can_create_network(user, *, kind: str, lead_unit) -> bool:
    """County networks: the county's coordinator or a national coordinator; thematic: anyone acting for the lead unit."""
    if is_administrator(user) or any(m.role == Role.NATIONAL_COORDINATOR for m in memberships_of(user)):
        return True
    if lead_unit is None:
        return False
    if kind == "county":
        return any(m.role in NETWORK_LEAD_ROLES and m.unit_id == lead_unit.pk for m in memberships_of(user))
    return can_act_for(user, lead_unit)


def can_coordinate(user, network) -> bool:
    """Whether the user coordinates the network (invites, writes notes, proposes joint actions)."""
    if is_administrator(user):
        return True
    return network.coordinators.filter(pk=getattr(user, "pk", None)).exists()


def can_view_workspace(user, network) -> bool:
    """Whether the user may open the workspace: coordinators, and people who can see a member or the lead unit."""
    if can_coordinate(user, network):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    unit_ids = set(network.members.exclude(unit=None).values_list("unit_id", flat=True))
    if network.lead_unit_id:
        unit_ids.add(network.lead_unit_id)
    return units_visible_to(user).filter(pk__in=unit_ids).exists()


def can_write_workspace(user, network) -> bool:
    """Whether the user may add documents and meeting notes: coordinators and people acting for a member unit."""
    if can_coordinate(user, network):
        return True
    return any(can_act_for(user, m.unit) for m in network.members.exclude(unit=None).select_related("unit"))


def can_answer_invitation(user, invitation) -> bool:
    """Whether the user may accept or decline: someone acting for the invited unit (organisations: administrators)."""
    if invitation.unit_id:
        return can_act_for(user, invitation.unit)
    return is_administrator(user)


def can_mobilise(user, county) -> bool:
    """Whether the user may invite the county's municipalities from its mobilisation funnel: the county's own
    coordinator (and administrators)."""
    if is_administrator(user):
        return True
    return any(m.role == Role.COUNTY_COORDINATOR and m.unit_id == county.pk for m in memberships_of(user))
