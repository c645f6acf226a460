"""Template filters for rounds pages: safe Markdown and Norwegian number input text."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.safestring import mark_safe

from dugnad.rounds.rendering import narrative_html

register = template.Library()


@register.filter
def markdown_safe(text: str) -> str:
    """A narrative rendered as HTML with any raw HTML escaped."""
    return mark_safe(narrative_html(text))  # noqa: S308 - narrative_html escapes the input first


@register.filter
def cell_text(value) -> str:
    """A stored number as typed in a Norwegian grid cell (comma decimal, no trailing zeros)."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if mapping else None


@register.inclusion_tag("web/rounds/_deadline.html")
def deadline(round_, *, today=None):
    """A round's «Frist»: the date and, for an open round, how many days are left or how late it is."""
    today = today or dt.date.today()
    days = (round_.deadline - today).days
    return {"date": round_.deadline, "days": days, "late": -days, "open": round_.state == "open"}
