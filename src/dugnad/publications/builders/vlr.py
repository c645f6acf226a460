"""The VLR builder: a municipality's voluntary local review for one round, after the UN DESA guiding elements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import override

from dugnad.common.labels import demo_label
from dugnad.observations.models import Observation
from dugnad.observations.provenance import banner_text, provenance_of
from dugnad.publications.builders import builder
from dugnad.publications.builders.actions import actions_block, unit_actions
from dugnad.publications.builders.effects import effects_section
from dugnad.publications.builders.errors import check_language, input_error
from dugnad.publications.builders.facts import UnitFacts, unit_facts
from dugnad.publications.builders.labels import COLOUR_HEX, colour_label, generated_on, trend_label
from dugnad.publications.builders.names import goals, named, number, unit_name
from dugnad.publications.builders.readings import readings_sections
from dugnad.publications.builders.targets import targets_section
from dugnad.publications.charts import line_spec
from dugnad.publications.document import (
    Chart,
    Document,
    GoalStatus,
    Narrative,
    Paragraph,
    References,
    Section,
    Table,
)  # fmt: skip
from dugnad.publications.maps import locator_map

if TYPE_CHECKING:
    from dugnad.publications.batch import VlrBatch
from dugnad.publications.vocab import DocumentKind
from dugnad.rounds.models import Round, Submission
from dugnad.rounds.selectors import submission_answers, submission_narratives
from dugnad.rounds.vocab import Chapter
from dugnad.units.models import Unit
from dugnad.units.selectors import units_current

#: Charts drawn per goal (the indicators with most data first).
CHARTS_PER_GOAL = 3


def _submission(unit: Unit, round_: Round) -> Submission:
    if unit.level.code != "municipality":
        raise input_error("publish", "en VLR gjelder en kommune (fylker får en fylkesgjennomgang, landet en VSR)",
                          column="--unit", value=unit.code)
    sub = Submission.objects.filter(round=round_, unit=unit).select_related("unit", "round").first()
    if sub is None:
        raise input_error("publish", f"enheten {unit.code} deltar ikke i runde {round_.pk}", column="--unit",
                          value=unit.code)
    return sub


class _Context:
    """State shared while one VLR is built: language, facts, submission, narratives and references."""

    def __init__(self, facts: UnitFacts, submission: Submission, lang: str, batch: VlrBatch | None = None) -> None:
        self.facts, self.sub, self.lang, self.batch = facts, submission, lang, batch
        self.narratives = submission_narratives(submission)
        self.refs = References()
        self.actions = unit_actions(submission.unit)

    def narrative(self, key: str) -> Narrative | Paragraph:
        n = self.narratives.get(key)
        if n is None or not n.text.strip():
            return Paragraph(text=_("Enheten har ikke skrevet tekst til denne delen."))
        ref = self.refs.add(unit=self.sub.unit.code, round=self.sub.round_id, submission=self.sub.pk,
                            revision=n.version, source=key)
        return Narrative(text=n.text, lang=n.language or "nb", ref=ref)

    def value_ref(self, code: str, indicator, period: str | None) -> str:
        obs = self.facts.series.get((code, indicator.pk), {}).get(period or "")
        return self.refs.add(unit=code, indicator=indicator.code, period=period or "", round=self.sub.round_id,
                             submission=self.sub.pk if code == self.sub.unit.code else None,
                             revision=obs.revision if obs else None, source=self.value_note(obs, reference=True),
                             carried=getattr(obs, "origin", "") if obs else "")

    def value_note(self, obs, *, reference: bool = False) -> str:
        """Where a stored value comes from (the demo label, «Kilde: … (lisens …)», «Registrert av kommunen»; without
        «Kilde:» for a reference); '' for no value or a carried one (its origin is named instead)."""
        if not isinstance(obs, Observation):
            return ""
        found = provenance_of(obs.import_run)
        return found.reference(self.lang) if reference else found.note(self.lang)


def _chapter(ctx: _Context, chapter: Chapter, key: str, title: str) -> Section:
    return Section(key=key, title=title, blocks=[ctx.narrative(f"chapter:{chapter.value}")])


def _highlights(ctx: _Context, goal_names: dict[int, str]) -> Section:
    scored = [(g.score, n) for n, g in ctx.facts.goal_scores.items() if g.score is not None]
    scored.sort(reverse=True)
    blocks: list = []
    if not scored:
        blocks.append(Paragraph(text=_("Det finnes ingen beregnede målskårer for enheten ennå.")))
        return Section(key="highlights", title=_("Høydepunkter"), blocks=blocks)
    best = ", ".join(f"{n} {goal_names[n]} ({number(s, ctx.lang)})" for s, n in scored[:3])
    worst = ", ".join(f"{n} {goal_names[n]} ({number(s, ctx.lang)})" for s, n in scored[-3:][::-1])
    blocks.append(Paragraph(text=_("Sterkest: %(goals)s.") % {"goals": best}))
    blocks.append(Paragraph(text=_("Størst utfordringer: %(goals)s.") % {"goals": worst}))
    return Section(key="highlights", title=_("Høydepunkter"), blocks=blocks)


def _method(ctx: _Context) -> Section:
    run, round_ = ctx.facts.run, ctx.facts.round
    text = _("Rapporten bygger på innleveringen i runden «%(round)s» (%(first)s–%(last)s) og på lagrede "
             "observasjoner med revisjoner.") % {"round": round_.title, "first": round_.periods[0],
                                                  "last": round_.periods[-1]}
    blocks = [Paragraph(text=text)]
    if run is not None:
        blocks.append(Paragraph(text=_("Skårer: metode %(method)s versjon %(version)s, scorekjøring %(run)s, "
                                       "dataversjon %(rev)s.") % {"method": run.method, "version": run.method_version,
                                                                  "run": run.pk, "rev": run.data_revision[:12]}))
    blocks += _locator(ctx)
    return Section(key="introduction", title=_("Innledning og metode"), blocks=blocks)


def _locator(ctx: _Context) -> list:
    """Where the municipality lies among its county's municipalities (a map with a table of them)."""
    unit, county = ctx.facts.unit, ctx.facts.county
    if county is None:
        return []
    if ctx.batch is not None:
        names = ctx.batch.members(county, ctx.lang)
    else:
        names = {m.code: unit_name(m, ctx.lang) for m in units_current(parents=[county]).order_by("code")}
    if unit.code not in names:
        return []
    own, county_name = names[unit.code], unit_name(county, ctx.lang)
    return locator_map(
        id="vlr-locator", title=_("Hvor %(unit)s ligger") % {"unit": own},
        alt=_("Kart som viser hvor %(unit)s ligger blant de %(n)s kommunene i %(county)s.") % {
            "unit": own, "n": len(names), "county": county_name},
        year=ctx.facts.round.year, highlight=unit.code, names=names, unit_label=_("Kommune"), highlight_label=own,
        others_label=_("Andre kommuner i %(county)s") % {"county": county_name},
        table_caption=_("Kommunene i %(county)s") % {"county": county_name}, lang=ctx.lang)


def _answer_text(value) -> str:
    """A survey answer as text: yes/no translated, lists joined, a dash when unanswered."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _policy(ctx: _Context) -> list[Section]:
    rows, refs = [], []
    for question, answer in submission_answers(ctx.sub):
        value = _answer_text(answer.value if answer else None)
        rows.append([question.text, value])
        refs.append(ctx.refs.add(unit=ctx.sub.unit.code, round=ctx.sub.round_id, submission=ctx.sub.pk,
                                 revision=answer.version if answer else None, source=f"question:{question.pk}"))
    table = Table(caption=_("Svar på egenvurderingen"), header=[_("Spørsmål"), _("Svar")], rows=rows, refs=refs)
    policy = _chapter(ctx, Chapter.POLICY, "policy", _("Politikk og rammebetingelser"))
    policy.blocks.append(table)
    lnob = _chapter(ctx, Chapter.LEAVE_NO_ONE_BEHIND, "leave_no_one_behind", _("Ingen skal utenfor"))
    lnob.level = 2
    return [policy, lnob]


def _label(facts, indicator, lang: str) -> str:
    spec = facts.spec_of(indicator)
    return (spec.label if spec and spec.label and lang == "nb" else "") or named(indicator, lang)


def _uom(facts, indicator) -> str:
    spec = facts.spec_of(indicator)
    return (spec.unit_of_measure if spec else "") or indicator.unit_of_measure


def _goal_section(ctx: _Context, goal, name: str, indicators: list, names: dict[str, str]) -> Section:
    facts, lang, code = ctx.facts, ctx.lang, ctx.facts.unit.code
    gs = facts.goal_scores.get(goal.number)
    colour = gs.colour if gs and gs.colour else "grey"
    blocks: list = [GoalStatus(number=goal.number, name=name, colour=COLOUR_HEX.get(colour, "#9e9e9e"),
                               score=number(gs.score if gs else None, lang), status=colour_label(colour),
                               trend=trend_label(gs.trend if gs else ""))]
    rows, refs = [], []
    county, country = (facts.county.code if facts.county else None), (facts.country.code if facts.country else None)
    for ind in indicators:
        own = facts.score(code, ind.pk)
        period = str(own.year) if own and own.year else ""
        rows.append([_label(facts, ind, lang), period, number(own.value if own else None, lang),
                     number(getattr(facts.score(county, ind.pk), "value", None), lang),
                     number(getattr(facts.score(country, ind.pk), "value", None), lang),
                     number(facts.peer_mean(ind.pk), lang), colour_label(own.colour if own and own.colour else "grey")])
        refs.append(ctx.value_ref(code, ind, period))
    if rows:
        blocks.append(Table(caption=_("Nøkkelindikatorer for mål %(n)s") % {"n": goal.number},
                            header=[_("Indikator"), _("År"), names["unit"], names["county"], names["country"],
                                    _("Sammenlignbare"), _("Status")], rows=rows, refs=refs))
    else:
        blocks.append(Paragraph(text=_("Runden har ingen indikatorer for dette målet.")))
    charted = sorted(indicators, key=lambda i: -len(facts.series.get((code, i.pk), {})))[:CHARTS_PER_GOAL]
    for ind in charted:
        chart = _chart(ctx, ind, names, county, country)
        if chart is not None:
            blocks.append(chart)
    blocks.append(ctx.narrative(f"goal:{goal.number}"))
    blocks.append(actions_block(ctx.actions, goal=goal.number))
    return Section(key=f"goal-{goal.number}", title=f"{goal.number}. {name}", level=2, blocks=blocks)


def _chart(ctx: _Context, ind, names: dict[str, str], county: str | None, country: str | None) -> Chart | None:
    facts, lang = ctx.facts, ctx.lang
    series, parts = [], []
    for key, who in (("unit", facts.unit.code), ("county", county), ("country", country)):
        points = facts.series.get((who or "", ind.pk), {})
        for period in sorted(points):
            if points[period].value is not None:
                series.append({"series": names[key], "period": period, "value": points[period].value})
        if points:
            first, last = min(points), max(points)
            parts.append(_("%(who)s fra %(a)s i %(pa)s til %(b)s i %(pb)s") % {
                "who": names[key], "a": number(points[first].value, lang), "pa": first,
                "b": number(points[last].value, lang), "pb": last})
    if not series:
        return None
    title = _label(facts, ind, lang)
    alt = _("Linjediagram, %(title)s (%(uom)s): %(parts)s.") % {"title": title, "uom": _uom(facts, ind) or "–",
                                                                   "parts": "; ".join(parts)}
    return Chart(id=f"c{ind.pk}", title=title, alt=alt,
                 spec=line_spec(title=title, series=series, unit_of_measure=_uom(facts, ind)))


def _annex(ctx: _Context) -> Section:
    facts, lang, code = ctx.facts, ctx.lang, ctx.facts.unit.code
    rows, refs, sources = [], [], {}
    for ind in facts.indicators:
        for period, obs in sorted(facts.series.get((code, ind.pk), {}).items()):
            rows.append([ind.code, _label(facts, ind, lang), period, number(obs.value, lang),
                         str(obs.revision or "–"), getattr(obs, "origin", "") or str(obs.import_run_id or "–"),
                         ctx.value_note(obs) or "–"])
            refs.append(ctx.value_ref(code, ind, period))
        spec = facts.spec_of(ind)
        sources[ind.code] = (spec.source if spec and spec.source else "") or ind.source or ind.framework.name
    data = Table(caption=_("Datatabell: alle verdier i runden"),
                 header=[_("Kode"), _("Indikator"), _("Periode"), _("Verdi"), _("Revisjon"), _("Importkjøring"),
                         _("Opphav")],
                 rows=rows, refs=refs)
    src = Table(caption=_("Kilder"), header=[_("Kode"), _("Kilde")], rows=[[k, v] for k, v in sources.items()])
    return Section(key="annex", title=_("Vedlegg: data, kilder og metode"), blocks=[data, src])


@builder("vlr")
def vlr_build(*, unit: Unit, round_: Round, lang: str = "nb", facts: UnitFacts | None = None,
              batch: VlrBatch | None = None) -> Document:
    """The VLR of a municipality for a round, in the language (fixed texts translated, narratives as written).

    ``batch``: what the VLRs of the round share, read once for a batch of them (``publications.batch``); the
    document is the same with or without it."""
    check_language(lang)
    sub = _submission(unit, round_)
    with override(lang):
        facts = facts or unit_facts(unit, round_, batch=batch)
        ctx = _Context(facts, sub, lang, batch)
        goal_list = batch.goals(lang) if batch is not None else goals(lang)
        goal_names = {g.number: n for g, n in goal_list}
        names = {"unit": unit_name(unit, lang),
                 "county": unit_name(facts.county, lang) if facts.county else _("Fylket"),
                 "country": _("Norge")}
        by_goal: dict[int, list] = {}
        for ind in facts.indicators:
            by_goal.setdefault(facts.goal_of(ind) or 0, []).append(ind)
        progress = _chapter(ctx, Chapter.GOAL_PROGRESS, "goal_progress", _("Framdrift per mål"))
        sections = [
            _chapter(ctx, Chapter.OPENING, "opening", _("Åpningsord")),
            _highlights(ctx, goal_names),
            _method(ctx),
            *_policy(ctx),
            progress,
            *[_goal_section(ctx, g, n, by_goal.get(g.number, []), names) for g, n in goal_list],
            *filter(None, [targets_section(unit, lang)]),
            *[s for s in [effects_section(key="effects", title=_("Effekten av felles tiltak"), lang=lang, level=1,
                                          include_demo=round_.is_demo, units=[unit], optional=True,
                                          effects=batch.action_effects if batch is not None else None)] if s],
            _chapter(ctx, Chapter.MEANS, "means", _("Virkemidler for gjennomføring")),
            _chapter(ctx, Chapter.NEXT_STEPS, "next_steps", _("Veien videre")),
            *readings_sections(unit=unit, lang=lang, include_demo=round_.is_demo),
            _annex(ctx),
        ]
        return Document(
            kind=DocumentKind.VLR.value, lang=lang,
            title=_("Lokal bærekraftsrapport %(year)s: %(unit)s") % {"year": round_.year, "unit": names["unit"]},
            subtitle=round_.title, is_demo=facts.is_demo or round_.is_demo,
            demo_label=banner_text(facts.mix, lang) or demo_label(lang), generated=generated_on(lang),
            sections=sections, references=ctx.refs.all(),
        )
