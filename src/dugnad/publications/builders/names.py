"""Names in the chosen language: of catalogue objects, units and the 17 goals, and numbers as written there."""

from __future__ import annotations

from dugnad.catalogue.models import Goal, Indicator
from dugnad.units.models import Unit


def named(obj, lang: str, base: str = "name") -> str:
    """The object's name in the language (``name_nn``/``name_en``), falling back to bokmål."""
    if lang != "nb":
        value = getattr(obj, f"{base}_{lang}", "")
        if value:
            return value
    return getattr(obj, f"{base}_nb", None) or getattr(obj, base, "")


def unit_name(unit: Unit, lang: str) -> str:
    """A unit's name in the language (bokmål when not recorded)."""
    return (unit.name_nn if lang == "nn" else unit.name_en if lang == "en" else "") or unit.name


def goals(lang: str) -> list[tuple[Goal, str]]:
    """The 17 goals with their names in the language."""
    return [(g, named(g, lang)) for g in Goal.objects.order_by("number")]


def number(value: float | None, lang: str) -> str:
    """A number with one decimal (Norwegian decimal comma unless English), or a dash."""
    if value is None:
        return "–"
    text = f"{value:,.1f}"
    return text if lang == "en" else text.replace(",", " ").replace(".", ",")


def indicator_names(codes, lang: str) -> dict[str, str]:
    """The names of indicators by code in the language (the code itself when an indicator has no name)."""
    found = {}
    for ind in Indicator.objects.filter(code__in=set(codes)).order_by("pk"):
        found.setdefault(ind.code, named(ind, lang) or ind.code)
    return found


def indicator_label(indicator, lang: str) -> str:
    """An indicator as a reader sees it in a table: its name in the language, the code after it."""
    name = named(indicator, lang)
    return f"{name} ({indicator.code})" if name and name != indicator.code else indicator.code
