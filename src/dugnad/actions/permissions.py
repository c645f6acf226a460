"""Permission rules of joint actions as named functions: who may read, manage and update which part.

A user acts for a unit in actions when they hold an editing role on exactly that unit (municipal
editor on a municipality, county coordinator on a county, national coordinator on the country);
roles that reach children give read access below, never the right to update another party's part.
"""

from __future__ import annotations

from django.db.models import QuerySet

from dugnad.accounts.permissions import is_administrator, memberships_of, units_visible_to
from dugnad.accounts.vocab import Role
from dugnad.units.models import Unit


def units_acting_for(user) -> QuerySet[Unit]:
    """Units the user may act for in actions: units where the user holds an editing role (all for administrators)."""
    if is_administrator(user):
        return Unit.objects.all()
    ids = [m.unit_id for m in memberships_of(user) if Role(m.role).can_edit]
    return Unit.objects.filter(pk__in=ids)


def can_act_for(user, unit) -> bool:
    """Whether the user may create actions for, and update the part of, this unit."""
    return unit is not None and units_acting_for(user).filter(pk=unit.pk).exists()


def can_view_action(user, action) -> bool:
    """Whether the user may read the action."""
    from dugnad.actions.models import Action

    return Action.objects.visible_to(user).filter(pk=action.pk).exists()


def can_manage_action(user, action) -> bool:
    """Whether the user may change the action as a whole (title, status, partners, milestones): the lead's people."""
    if is_administrator(user):
        return True
    lead = action.partners.filter(role="lead").select_related("unit").first()
    if lead is not None and lead.unit_id is not None:
        return can_act_for(user, lead.unit)
    return action.created_by_id is not None and action.created_by_id == getattr(user, "pk", None)


def can_update_part(user, partner) -> bool:
    """Whether the user may update this partner's part: people acting for its unit (organisation parts: the lead)."""
    if is_administrator(user):
        return True
    if partner.unit_id is not None:
        return can_act_for(user, partner.unit)
    return can_manage_action(user, partner.action)


def can_view_unit_actions(user, unit) -> bool:
    """Whether the user may see non-public actions of a unit."""
    return units_visible_to(user).filter(pk=unit.pk).exists()
