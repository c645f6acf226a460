"""Who may set a unit's target: people acting for exactly that unit (its editors and coordinators), as in actions."""

from __future__ import annotations

from dugnad.actions.permissions import can_act_for


def can_set_target(user, unit) -> bool:
    """Whether the user may set the unit's own targets: an editing role on that unit (administrators always)."""
    return can_act_for(user, unit)
