"""The effect follow-up of joint actions in documents: for each public action with a start date and indicators, the
partners' change beside similar units' change (``dugnad.actions.effects``), with how sure it can be."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.utils.translation import gettext as _

from dugnad.publications.builders.names import named, number
from dugnad.publications.document import Paragraph, Section, Table


def _signed(value: float | None, lang: str) -> str:
    text = number(value, lang)
    return f"+{text}" if value is not None and value > 0 else text


def effects_section(*, key: str, title: str, lang: str, include_demo: bool, units=None,
                    across_levels: bool = False, level: int = 2, optional: bool = False,
                    effects: Callable | None = None) -> Section | None:
    """The effect comparison of the actions (with one of ``units`` as a party, or across levels), one row per
    indicator and level of partner units that have figures before and after the start; a note when there is none
    (None instead when ``optional``). Demo actions only when ``include_demo``. ``effects``: what gives an action's
    follow-up (``actions.effects.action_effects`` unless a batch of documents keeps them)."""
    if not apps.is_installed("dugnad.actions"):
        if optional:
            return None
        return Section(key=key, title=title, level=level, blocks=[Paragraph(text=_("Tiltaksmodulen er ikke tatt i bruk."))])
    from dugnad.actions.effects import action_effects
    from dugnad.actions.selectors import actions_followed_up
    from dugnad.actions.vocab import EffectOutcome, EffectReading

    levels = {"municipality": _("kommuner"), "county": _("fylker"), "country": _("landet")}
    rows = []
    effects = effects or action_effects
    for action in actions_followed_up(units=units, across_levels=across_levels, include_demo=include_demo):
        for row in effects(action).rows:
            e = row.comparison
            if e.reading.value == "no_data":  # no partner with figures before and after: nothing to say yet
                continue
            rows.append([action.title, f"{named(row.indicator, lang)} ({row.indicator.code})",
                         levels.get(row.level, row.level), action.start.isoformat(),
                         f"{e.partners.units}: {_signed(e.partners.change, lang)}",
                         f"{e.comparison.units}: {_signed(e.comparison.change, lang)}", _signed(e.did, lang),
                         str(EffectOutcome(e.outcome.value).label), str(EffectReading(e.reading.value).label)])
    if not rows:
        if optional:
            return None
        return Section(key=key, title=title, level=level, blocks=[
            Paragraph(text=_("Ingen offentlige tiltak med startdato og indikatorer å følge opp."))])
    note = _("For hvert tiltak: indikatorene det skal påvirke, snitt før og etter start for partnerne og for lignende "
             "enheter som ikke er med (forskjell-i-forskjeller). Tallene viser hva som har skjedd, ikke at tiltaket er "
             "årsaken; metoden forutsetter at gruppene ville utviklet seg likt uten tiltaket, og det er ikke testet. "
             "Med færre enn tre enheter i en gruppe sier vi ikke noe om forskjellen.")
    table = Table(caption=_("Endring før og etter start: partnere og lignende enheter"),
                  header=[_("Tiltak"), _("Indikator"), _("Nivå"), _("Start"), _("Partnere: endring"),
                          _("Lignende enheter: endring"), _("Forskjell"), _("Retning"), _("Hvor sikkert")],
                  rows=rows)
    return Section(key=key, title=title, level=level, blocks=[Paragraph(text=note), table])
