"""How a version of a reading is cited: its stable address and a short citation string in nb, nn or en.

Fixed words live here in the three languages (not in gettext), so the CLI, the API and the publications cite the
same way as the web: «Felles lesning av delmål 11.6, Vestland fylkeskommune, versjon 3, 4. desember 2026».
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dugnad.common.labels import lang_key

_MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
           "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
_MONTHS["nn"] = _MONTHS["nb"]
_WORDS = {
    "nb": {"title": "Felles lesning av delmål", "version": "versjon", "county": "fylkeskommune",
           "municipality": "kommune", "country": "Norge"},
    "nn": {"title": "Felles lesing av delmål", "version": "versjon", "county": "fylkeskommune",
           "municipality": "kommune", "country": "Noreg"},
    "en": {"title": "Shared reading of target", "version": "version", "county": "County Council",
           "municipality": "Municipality", "country": "Norway"},
}


_NAMED = {"county": "fylke", "municipality": "kommune"}


def date_text(day: dt.date, lang: str = "nb") -> str:
    """A date as written in running text: «4. desember 2026», «4 December 2026»."""
    lang = lang_key(lang)
    month = _MONTHS[lang][day.month - 1]
    return f"{day.day} {month} {day.year}" if lang == "en" else f"{day.day}. {month} {day.year}"


def unit_title(unit, lang: str = "nb") -> str:
    """The body that speaks for the unit: «Vestland fylkeskommune», «Bergen kommune», «Norge»."""
    lang = lang_key(lang)
    words, level = _WORDS[lang], unit.level.code
    if level == "country":
        return words["country"]
    name = (unit.name_nn if lang == "nn" else unit.name_en if lang == "en" else "") or unit.name
    suffix = words.get(level, "")
    if not suffix or (level in ("county", "municipality") and _NAMED[level] in name.lower()):
        return name  # «Oslo fylke», «Bergen kommune» already say what they are
    return f"{name} {suffix}"


def version_day(version) -> dt.date:
    """The day a version was written, in the platform's time zone."""
    return timezone.localtime(version.created_at).date() if version.created_at else dt.date.today()


def citation(version, lang: str = "nb") -> str:
    """The short citation of a version of a reading in the language."""
    lang = lang_key(lang)
    reading = version.reading
    words = _WORDS[lang]
    return (f"{words['title']} {reading.target.code}, {unit_title(reading.unit, lang)}, {words['version']} "
            f"{version.number}, {date_text(version_day(version), lang)}")


def version_path(version) -> str:
    """The stable address of a version: ``/delmal/<target>/lesning/<unit>/v<n>/``."""
    reading = version.reading
    return reverse("reading-version", args=[reading.target.code, reading.unit.code, version.number])
