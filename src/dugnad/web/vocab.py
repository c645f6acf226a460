"""Words on pages: translatable labels of the dashboard colours and trend arrows, and names in the page's language."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dugnad.analytics.scoring.types import Colour, Trend

#: The four-colour status (plus grey) in words, so colour is never the only signal.
STATUS_LABELS = {
    Colour.GREEN: _("Mål nådd"),
    Colour.YELLOW: _("Utfordringer gjenstår"),
    Colour.ORANGE: _("Betydelige utfordringer"),
    Colour.RED: _("Store utfordringer"),
    Colour.GREY: _("Mangler data"),
}

#: Trend arrows oriented by the indicator's direction (up is always better), with their meaning in words.
TREND_LABELS = {
    Trend.ON_TRACK: _("I rute eller opprettholder måloppnåelse"),
    Trend.MODERATELY_IMPROVING: _("Moderat forbedring"),
    Trend.STAGNATING: _("Stagnerer"),
    Trend.DECREASING: _("Går tilbake"),
}


def status_label(code: str | None) -> str:
    """The status label for a colour code ('' when unknown; grey when empty)."""
    try:
        return str(STATUS_LABELS[Colour(code or "grey")])
    except ValueError:
        return ""


def trend_parts(code: str | None) -> tuple[str, str]:
    """The arrow and label for a trend code (``("", "")`` when there is no trend)."""
    try:
        trend = Trend(code or "")
    except ValueError:
        return "", ""
    return trend.arrow, str(TREND_LABELS[trend])


def localized(obj, attribute: str = "name") -> str:
    """``obj.<attribute>_<language>`` (``name_nn``, ``name_en`` …), falling back to bokmål and then ``obj.<attribute>``."""
    language = (get_language() or "nb")[:2]
    for suffix in (language, "nb"):
        value = getattr(obj, f"{attribute}_{suffix}", "")
        if value:
            return value
    return getattr(obj, attribute, "") or ""
