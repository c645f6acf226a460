"""Template tags of actions: a unit's actions with its role, for the unit page."""

from __future__ import annotations

from django import template

from dugnad.actions.selectors import actions_of_unit

register = template.Library()


@register.inclusion_tag("web/actions/_unit_actions.html", takes_context=True)
def unit_actions(context, unit):
    """The actions where the unit is lead, partner or funder that the visitor may see."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unit": unit, "unit_actions": actions_of_unit(unit, user=user)}
