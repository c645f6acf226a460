"""The section on local 2030 targets shared by the VLR, the county review and the VSR: the unit's own targets with
distance to target, and for a county or the country the ambition gap against its municipalities' rolled-up targets
and who carries how much of it (``dugnad.targets.selectors``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dugnad.common.labels import demo_label
from dugnad.publications.builders.names import indicator_label, indicator_names, number, unit_name
from dugnad.publications.document import BulletList, Paragraph, Section, Table
from dugnad.targets.selectors import ambition_gaps, distances_to_target, targets_include_demo
from dugnad.units.models import Unit

#: Members named per indicator in «who carries how much».
CARRIERS = 3


def _percent(share: float | None, lang: str) -> str:
    return "–" if share is None else f"{number(share * 100, lang)} %"


def _distance_blocks(unit: Unit, own: list, lang: str) -> list:
    """The unit's own targets: value, latest value and what is still to go (> 0) or reached (≤ 0)."""
    if not own:
        return [Paragraph(text=_("%(unit)s har ikke registrert egne mål for 2030.") % {"unit": unit_name(unit, lang)})]
    names = indicator_names({d.indicator for d in own}, lang)
    rows = [[f"{names[d.indicator]} ({d.indicator})" if names.get(d.indicator, d.indicator) != d.indicator
             else d.indicator, number(d.target, lang),
             f"{number(d.value, lang)} ({d.value_year})" if d.value is not None else "–",
             "–" if d.distance is None else (number(d.distance, lang) if d.distance > 0 else _("nådd"))] for d in own]
    return [Paragraph(text=_("Avstand til mål: siste verdi mot enhetens eget mål. «Igjen» er det som gjenstår i "
                             "indikatorens retning; «nådd» betyr at målet alt er nådd.")),
            Table(caption=_("Egne mål for 2030 og avstand til mål"),
                  header=[_("Indikator"), _("Målverdi"), _("Siste verdi (år)"), _("Igjen")], rows=rows)]


def _gap_blocks(gaps: list, lang: str) -> list:
    """The ambition gap per indicator, and the members that carry most of the rolled-up target."""
    if not gaps:
        return [Paragraph(text=_("Ingen av kommunene har registrert mål for 2030 ennå."))]
    rows = [[indicator_label(g.indicator, lang), number(g.own_target, lang), number(g.members_target, lang),
             number(g.gap, lang), f"{g.members_with_target} / {g.members}", _percent(g.population_coverage, lang)]
            for g in gaps]
    carriers = []
    for g in gaps:
        top = sorted((s for s in g.shares if s.share), key=lambda s: -s.share)[:CARRIERS]
        if top:
            names = ", ".join(f"{s.name or s.member} {_percent(s.share, lang)}" for s in top)
            carriers.append(f"{indicator_label(g.indicator, lang)}: {names}")
    blocks = [
        Paragraph(text=_("Ambisjonsgapet er enhetens eget mål minus kommunenes mål rullet opp (befolkningsvektet "
                         "snitt for andeler og rater, sum for antall), i indikatorens retning: over null betyr at "
                         "kommunenes mål til sammen ikke når målet. Les det med dekningen.")),
        Table(caption=_("Ambisjonsgap: eget mål mot kommunenes mål"),
              header=[_("Indikator"), _("Eget mål"), _("Kommunenes mål"), _("Gap"), _("Kommuner med mål"),
                      _("Befolkningsdekning")], rows=rows),
    ]
    if carriers:
        blocks += [Paragraph(text=_("Hvem bærer hvor mye av kommunenes samlede mål (andel):")),
                   BulletList(items=carriers)]
    return blocks


def targets_section(unit: Unit, lang: str, *, key: str = "targets", title: str | None = None,
                    members: bool = False) -> Section | None:
    """The unit's own 2030 targets and distance to them; with ``members`` also the ambition gap against the
    municipalities' rolled-up targets and who carries how much. Demo targets are labelled. None when neither the
    unit nor (with ``members``) any municipality below it has a target: the publication leaves the section out."""
    own = distances_to_target(unit, descendants=False)
    gaps = [g for g in ambition_gaps(unit) if g.members_with_target] if members else []
    if not own and not gaps:
        return None
    blocks = _distance_blocks(unit, own, lang)
    if members:
        blocks += _gap_blocks(gaps, lang)
    if targets_include_demo(unit):
        blocks.append(Paragraph(text=_("Noen av målene er demodata: %(label)s.") % {"label": demo_label(lang)}))
    return Section(key=key, title=title or _("Mål for 2030 og avstand til mål"), blocks=blocks)
