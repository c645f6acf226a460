"""Fixed labels of the documents: colour and trend labels, colour swatches and the generation line."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dugnad.analytics.scoring.types import Colour, Trend


def colour_label(code: str) -> str:
    """The translated label of a dashboard colour code."""
    try:
        colour = Colour(code)
    except ValueError:
        colour = Colour.GREY
    return _(colour.label_nb)


def trend_label(code: str) -> str:
    """The translated label of a trend code (empty when no trend)."""
    try:
        return _(Trend(code).label_nb)
    except ValueError:
        return ""


#: The analytics core's colour and trend labels (bokmål), marked here so that makemessages keeps their translations.
CORE_LABELS = (
    gettext_noop("Mål nådd"), gettext_noop("Utfordringer gjenstår"), gettext_noop("Betydelige utfordringer"),
    gettext_noop("Store utfordringer"), gettext_noop("Mangler data"),
    gettext_noop("I rute eller opprettholder måloppnåelse"), gettext_noop("Moderat forbedring"),
    gettext_noop("Stagnerer"), gettext_noop("Går tilbake"),
)

#: Swatch colours of the dashboard colour codes.
COLOUR_HEX = {colour.value: colour.hex for colour in Colour}


def generated_on(lang: str) -> str:
    """The generation date line."""
    return _("Laget %(date)s av Dugnad") % {"date": dt.date.today().isoformat()}
