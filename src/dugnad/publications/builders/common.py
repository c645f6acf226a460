"""What every builder shares: names in the chosen language, number formats, labels, demo marking and actions."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.scoring.types import Colour, Trend
from dugnad.analytics.types import DEMO_LABEL_EN, DEMO_LABEL_NB
from dugnad.catalogue.models import Goal
from dugnad.publications.document import BulletList, Paragraph
from dugnad.publications.vocab import LANGUAGES
from dugnad.units.models import Unit


def input_error(source: str, reason: str, *, column: str, value: object = None) -> InputError:
    """An InputError with one located problem (nothing has been written when it is raised)."""
    report = ValidationReport(source=source)
    report.add(reason, column=column, value=None if value is None else str(value))
    return InputError(report)


def check_language(lang: str) -> str:
    """The language code when it is one of nb, nn, en; otherwise an InputError naming the option."""
    if lang not in LANGUAGES:
        raise input_error("publish", f"ukjent språk; velg ett av {', '.join(LANGUAGES)}", column="--lang", value=lang)
    return lang


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

COLOUR_HEX = {colour.value: colour.hex for colour in Colour}


def demo_label(lang: str) -> str:
    """The demo marking in the language."""
    return DEMO_LABEL_EN if lang == "en" else DEMO_LABEL_NB


def generated_on(lang: str) -> str:
    """The generation date line."""
    return _("Laget %(date)s av Dugnad") % {"date": dt.date.today().isoformat()}


def unit_actions(unit: Unit) -> list | None:
    """The unit's joint actions (lead, partner or funder), or None when the actions app is not installed."""
    if not apps.is_installed("dugnad.actions"):
        return None
    from dugnad.actions.selectors import actions_of_unit

    return actions_of_unit(unit)


def actions_block(actions: list | None, *, goal: int | None = None) -> BulletList | Paragraph:
    """The actions (towards targets of the goal, when given) as a list, or a note when there are none."""
    if actions is None:
        return Paragraph(text=_("Tiltaksmodulen er ikke tatt i bruk."))
    items = []
    for item in actions:
        a = item.action
        if goal is not None and goal not in {t.goal_id for t in a.targets.all()}:
            continue
        progress = f", {a.progress} %" if getattr(a, "progress", None) is not None else ""
        labels = {"action": _("Tiltak"), "role": _("rolle"), "status": _("status")}
        items.append(f"{labels['action']}: {a.title} ({labels['role']}: {item.role}; {labels['status']}: {a.status}{progress})")
    return BulletList(items=items) if items else Paragraph(text=_("Ingen registrerte tiltak."))
