"""The effect follow-up on an action's page: per indicator and level, a chart of yearly means, the summary and the
per-unit values as tables, the difference with how sure it can be, and the caveats (``dugnad.actions.effects``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dugnad.actions.effects import NO_INDICATORS, NO_START, NO_UNITS, ActionEffects, IndicatorEffect
from dugnad.actions.vocab import EffectCaveat, EffectOutcome, EffectReading, ExpectedDirection
from dugnad.analytics.charts import ChartText, series_start_spec
from dugnad.analytics.effects import Group, Side
from dugnad.analytics.maps.spec import number_text
from dugnad.web.figures import Cell, Column, Figure, TableAlternative


def _lang() -> str:
    return (get_language() or "nb")[:2]


def num(value: float | None, lang: str, *, signed: bool = False) -> str:
    """A number in the page's language (with its sign when ``signed``), or a dash."""
    if value is None:
        return "–"
    text = number_text(value, lang=lang, decimals=2)
    return f"+{text}" if signed and value > 0 else text


def level_label(level: str) -> str:
    """The level of the partner units as a plural noun: kommuner, fylker, landet."""
    return {"municipality": _("kommuner"), "county": _("fylker"), "country": _("landet")}.get(level, level)


def group_label(group: Group) -> str:
    """«Partnere» or «Lignende enheter»."""
    return _("Partnere") if group is Group.PARTNERS else _("Lignende enheter")


def direction_text(direction: str | None) -> str:
    """What the indicator's specification says is better."""
    return {"higher": _("høyere er bedre"), "lower": _("lavere er bedre")}.get(direction or "", _("ukjent retning"))


def reading_label(value: str) -> str:
    """How sure the comparison can be, in words."""
    return str(EffectReading(value).label)


def outcome_label(value: str) -> str:
    """Whether the difference is in the good direction, in words."""
    return str(EffectOutcome(value).label)


def caveat_texts(values) -> list[str]:
    """The caveats in words."""
    return [str(EffectCaveat(c.value if hasattr(c, "value") else c).label) for c in values]


@dataclass
class EffectPanel:
    """What the page shows for one indicator at one level."""

    row: IndicatorEffect
    heading: str
    figure: Figure | None
    summary: TableAlternative
    units: TableAlternative
    difference: str
    outcome: str
    reading: str
    expected: str
    direction: str
    caveats: list[str] = field(default_factory=list)


def _figure(row: IndicatorEffect, dom_id: str, heading: str, lang: str) -> Figure | None:
    e = row.comparison
    rows, parts = [], []
    for summary in (e.partners, e.comparison):
        name = f"{group_label(summary.group)} ({summary.units})"
        for y in summary.yearly:
            rows.append({"series": name, "period": y.period, "value": round(y.mean, 4)})
        if summary.yearly:
            parts.append(_("%(group)s fra %(a)s i %(pa)s til %(b)s i %(pb)s") % {
                "group": name, "a": num(summary.yearly[0].mean, lang), "pa": summary.yearly[0].period,
                "b": num(summary.yearly[-1].mean, lang), "pb": summary.yearly[-1].period})
    if not rows:
        return None
    after = sorted({y.period for s in (e.partners, e.comparison) for y in s.yearly if y.side is Side.AFTER})
    start = after[0] if after else max(r["period"] for r in rows)
    alt = _("Linjediagram, snitt per år for %(title)s, tiltaket startet %(start)s: %(parts)s.") % {
        "title": heading, "start": e.start.isoformat(), "parts": "; ".join(parts)}
    spec = series_start_spec(rows=rows, start=start, start_label=_("Start"), lang=lang, decimals=2,
                             text=ChartText(description=alt, x=_("År"), y=row.unit_of_measure or _("verdi"),
                                            series=_("Gruppe")))
    periods = sorted({r["period"] for r in rows})
    groups = [(s, f"{group_label(s.group)} ({s.units})") for s in (e.partners, e.comparison)]
    means = {(s.group, y.period): y for s, _n in groups for y in s.yearly}
    table = TableAlternative(
        caption=_("Snitt per år: %(title)s") % {"title": heading}, caption_id=f"{dom_id}-table",
        columns=[Column(_("År"))] + [Column(n, numeric=True) for _s, n in groups],
        rows=[[Cell(p)] + [Cell(f"{num(m.mean, lang)} (n={m.units})" if (m := means.get((s.group, p))) else "–",
                                numeric=True) for s, _n in groups] for p in periods])
    return Figure(kind="chart", dom_id=dom_id, title=heading, alt=alt, spec=spec, table=table,
                  demo=_is_demo(row), size="chart")


def _is_demo(row: IndicatorEffect) -> bool:
    return any(c.value == "demo" for c in row.comparison.caveats)


def _summary(row: IndicatorEffect, dom_id: str, lang: str) -> TableAlternative:
    e = row.comparison
    return TableAlternative(
        caption=_("Før og etter start, partnere og lignende enheter"), caption_id=f"{dom_id}-summary",
        columns=[Column(_("Gruppe")), Column(_("Enheter"), numeric=True), Column(_("År før"), numeric=True),
                 Column(_("År etter"), numeric=True), Column(_("Snitt før"), numeric=True),
                 Column(_("Snitt etter"), numeric=True), Column(_("Endring"), numeric=True),
                 Column(_("Utvikling per år før start"), numeric=True)],
        rows=[[Cell(group_label(s.group)), Cell(str(s.units), numeric=True), Cell(str(s.periods_before), numeric=True),
               Cell(str(s.periods_after), numeric=True), Cell(num(s.mean_before, lang), numeric=True),
               Cell(num(s.mean_after, lang), numeric=True), Cell(num(s.change, lang, signed=True), numeric=True),
               Cell(num(s.pre_trend, lang, signed=True), numeric=True)] for s in (e.partners, e.comparison)])


def _units(row: IndicatorEffect, dom_id: str, lang: str) -> TableAlternative:
    return TableAlternative(
        caption=_("Hver enhet før og etter start"), caption_id=f"{dom_id}-units",
        columns=[Column(_("Enhet")), Column(_("Gruppe")), Column(_("Snitt før"), numeric=True),
                 Column(_("År før")), Column(_("Snitt etter"), numeric=True), Column(_("År etter")),
                 Column(_("Endring"), numeric=True)],
        rows=[[Cell(f"{row.names.get(u.unit, u.unit)} ({u.unit})"), Cell(group_label(u.group)),
               Cell(num(u.before, lang), numeric=True), Cell(", ".join(u.periods_before) or "–"),
               Cell(num(u.after, lang), numeric=True), Cell(", ".join(u.periods_after) or "–"),
               Cell(num(u.change, lang, signed=True) if u.used else _("utelatt"), numeric=True)]
              for u in row.comparison.units])


def effect_panels(effects: ActionEffects) -> list[EffectPanel]:
    """One panel per indicator and level of partner units."""
    lang = _lang()
    panels = []
    for i, row in enumerate(effects.rows, start=1):
        dom_id = f"effect-{i}"
        name = getattr(row.indicator, f"name_{lang}", "") or row.indicator.name_nb
        heading = f"{row.indicator.code} {name} – {level_label(row.level)}"
        e = row.comparison
        panels.append(EffectPanel(
            row=row, heading=heading, figure=_figure(row, f"{dom_id}-chart", heading, lang),
            summary=_summary(row, dom_id, lang), units=_units(row, dom_id, lang),
            difference=num(e.did, lang, signed=True), outcome=outcome_label(e.outcome.value),
            reading=reading_label(e.reading.value),
            expected=str(ExpectedDirection(row.expected).label).lower() if row.expected in ExpectedDirection.values else "",
            direction=direction_text(row.direction), caveats=caveat_texts(e.caveats)))
    return panels


def effects_reason(effects: ActionEffects) -> str:
    """Why an action has no comparison, in words ('' when it has one)."""
    return {NO_START: _("Tiltaket har ingen startdato, så det er ikke noe før og etter å sammenligne."),
            NO_INDICATORS: _("Tiltaket er ikke knyttet til noen indikator."),
            NO_UNITS: _("Tiltaket har ingen kommuner, fylker eller landet som parter.")}.get(effects.reason, "")
