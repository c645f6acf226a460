"""Numbers and dates in the page's language («17 446,5», «18. januar 2027»; "17,446.5", "18 January 2027")."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import get_language

from dugnad.analytics.maps.spec import number_text

register = template.Library()


def _lang() -> str:
    return (get_language() or "nb")[:2]


@register.filter
def num(value, decimals: int = 1) -> str:
    """A number as the page's language writes it (a dash when there is none)."""
    if value is None or value == "":
        return "–"
    return number_text(float(value), lang=_lang(), decimals=int(decimals))


@register.filter
def longdate(value) -> str:
    """A date written out: «18. januar 2027» in Norwegian, "18 January 2027" in English."""
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, "j F Y" if _lang() == "en" else "j. F Y")


@register.filter
def get_lang(names: dict, lang: str) -> str:
    """A name in the language from a ``{"nb", "nn", "en"}`` mapping (bokmål when missing)."""
    return names.get(lang) or names.get("nb", "")
