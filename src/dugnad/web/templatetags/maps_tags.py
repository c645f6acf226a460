"""Template tags that put maps on pages: the front page's demonstration map and a unit's locator map."""

from __future__ import annotations

from django import template

from dugnad.web import maps

register = template.Library()


@register.inclusion_tag("web/components/map.html", takes_context=True)
def demo_indicator_map(context):
    """Norway's municipalities coloured by a demo indicator (nothing when the demo is not loaded)."""
    return {"map": maps.demo_indicator_map(), "demo_label": context.get("demo_label", "")}


@register.inclusion_tag("web/components/map.html", takes_context=True)
def unit_locator_map(context, unit):
    """Where the unit lies, with its neighbours listed in a table."""
    return {"map": maps.unit_locator_map(unit), "demo_label": context.get("demo_label", "")}
