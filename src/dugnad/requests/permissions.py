"""Permission rules of requests across levels: who may send a request for a unit, and who answers it.

A request is sent by the editors of its unit (``units_editable_by``). It is answered by the coordinators of the
receiving unit: the national coordinator for the state, the county coordinator for its county; a request to a
municipality by the municipality's editors. Administrators may do everything.
"""

from __future__ import annotations

from dugnad.accounts.permissions import REVIEWER_ROLES, is_administrator, memberships_of, units_editable_by
from dugnad.accounts.vocab import Role
from dugnad.units.models import Unit

ANSWERER_ROLES = REVIEWER_ROLES | {Role.MUNICIPAL_EDITOR}


def can_send_request(user, unit) -> bool:
    """Whether the user may record a request from this unit: an editor or coordinator of exactly that unit."""
    return unit is not None and units_editable_by(user).filter(pk=unit.pk).exists()


def can_answer_request(user, request) -> bool:
    """Whether the user may receive, answer, decline or follow up the request: a coordinator of the receiving unit."""
    if is_administrator(user):
        return True
    return any(m.role in ANSWERER_ROLES and m.unit_id == request.to_unit_id for m in memberships_of(user))


def units_answered_by(user):
    """Units whose incoming requests the user answers (every unit for administrators)."""
    if is_administrator(user):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=[m.unit_id for m in memberships_of(user) if m.role in ANSWERER_ROLES])


def units_sending_for(user):
    """Units the user may send requests from: the units the user edits (``units_editable_by``), by code."""
    return units_editable_by(user).select_related("level").order_by("code")
