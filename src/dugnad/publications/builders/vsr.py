"""The VSR builder: the national review of a round — participation, survey results, goal roll-ups and VLR summaries."""

from __future__ import annotations

from collections import Counter
from contextvars import ContextVar

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import override

from dugnad.common.labels import demo_label
from dugnad.observations.provenance import banner_text, demo_share_text, mix_of_counts
from dugnad.observations.selectors import value_demo_counts
from dugnad.publications.aggregates import AnswerRow, aggregate_answers
from dugnad.publications.builders import builder
from dugnad.publications.builders.county_values import counties_values_section
from dugnad.publications.builders.effects import effects_section
from dugnad.publications.builders.errors import check_language
from dugnad.publications.builders.labels import COLOUR_HEX, colour_label, generated_on
from dugnad.publications.builders.levelrequests import requests_section
from dugnad.publications.builders.names import goals, indicator_names, number, unit_name
from dugnad.publications.builders.targets import targets_section
from dugnad.publications.charts import bar_spec, matrix_spec
from dugnad.publications.document import (
    BulletList,
    Chart,
    Document,
    Narrative,
    Paragraph,
    References,
    Section,
    Table,
)
from dugnad.publications.maps import COUNTIES, status_map, weakest_goal_status
from dugnad.publications.vocab import DocumentKind
from dugnad.rounds.models import Narrative as Narrative_
from dugnad.rounds.models import Round, Submission, SurveyAnswer
from dugnad.rounds.selectors import submission_narratives
from dugnad.rounds.vocab import CountyChapter, NationalChapter, SubmissionState
from dugnad.scores.models import GoalScore
from dugnad.scores.selectors import latest_score_run, shared_gaps_for
from dugnad.units.models import Unit
from dugnad.units.selectors import size_bands, unit_country, units_current
from dugnad.units.vocab import SizeBand

#: The score run of the VSR being built (read once; every section quotes the same run).
_RUN: ContextVar = ContextVar("vsr_score_run", default=None)


def _run():
    """The score run of the document being built (the latest run outside a build)."""
    return _RUN.get() or latest_score_run()


#: ``level code → (demo values, values)`` of the round's indicators and periods, for the VSR being built.
_COUNTS: ContextVar = ContextVar("vsr_value_counts", default=None)


def _demo_share(levels: tuple[str, ...], lang: str) -> list:
    """«X av Y verdier er demodata» over the values of units of ``levels`` behind a table (per value,
    ``observations.provenance``), or nothing when none is demo."""
    counts = _COUNTS.get() or {}
    demo = sum(counts.get((level,), (0, 0))[0] for level in levels)
    total = sum(counts.get((level,), (0, 0))[1] for level in levels)
    text = demo_share_text(demo, total, lang)
    return [Paragraph(text=text)] if text else []


#: Submission states counted as "reported".
REPORTED = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


def reported_submissions(round_: Round) -> list[Submission]:
    """The round's submissions that were delivered (submitted or approved), by unit code."""
    return list(Submission.objects.filter(round=round_, state__in=REPORTED).select_related("unit__parent", "unit__level")
                .order_by("unit__code"))


def answer_rows(round_: Round) -> list[AnswerRow]:
    """Every answer of a reported municipality in the round, with its county and size band (plain rows, one read)."""
    answers = list(SurveyAnswer.objects.filter(submission__round=round_, submission__state__in=REPORTED,
                                               submission__unit__level__code="municipality").values_list(
        "question_id", "question__kind", "value", "submission__unit_id", "submission__unit__parent__code"))
    units = Unit.objects.filter(pk__in={a[3] for a in answers})
    bands = size_bands(units, round_.year)
    return [AnswerRow(question=q, kind=kind, value=value, county=county or "", band=bands[unit_id].value)
            for q, kind, value, unit_id, county in answers]


def _participation(round_: Round, lang: str) -> Section:
    """Participation of the municipalities, and of every county by name (with its own submission)."""
    subs = list(Submission.objects.filter(round=round_).select_related("unit__level", "unit__parent")
                .values_list("unit_id", "unit__level__code", "unit__parent_id", "state"))
    municipal = Counter(state for _u, level, _p, state in subs if level == "municipality")
    total = sum(municipal.values())
    reported = sum(municipal.get(s.value, 0) for s in REPORTED)
    by_county: dict[int, Counter] = {}
    own: dict[int, str] = {}
    for unit_id, level, parent_id, state in subs:
        if level == "municipality":
            by_county.setdefault(parent_id, Counter())[state] += 1
        elif level == "county":
            own[unit_id] = state
    counties = list(units_current(levels=("county",)).order_by("code"))
    municipalities = Counter(units_current(levels=("municipality",)).values_list("parent_id", flat=True))
    county_rows = []
    for c in counties:
        counts = by_county.get(c.pk, Counter())
        n = max(municipalities.get(c.pk, 0), sum(counts.values()))
        delivered = sum(counts.get(s.value, 0) for s in REPORTED)
        own_state = str(SubmissionState(own[c.pk]).label) if c.pk in own else _("deltar ikke")
        county_rows.append([unit_name(c, lang), _("%(d)s av %(n)s") % {"d": delivered, "n": n},
                            *[str(counts.get(s.value, 0)) for s in SubmissionState], own_state])
    counties_delivered = sum(1 for s in own.values() if s in REPORTED)
    rows = [[str(s.label), str(municipal.get(s.value, 0))] for s in SubmissionState]
    return Section(key="participation", title=_("Deltakelse"), blocks=[
        Paragraph(text=_("%(reported)s av %(total)s kommuner har levert (levert eller godkjent).")
                  % {"reported": reported, "total": total}),
        Paragraph(text=_("%(reported)s av %(total)s fylker har levert sin egen rapport.")
                  % {"reported": counties_delivered, "total": len(own)}),
        Table(caption=_("Kommunenes innleveringer etter status"), header=[_("Status"), _("Antall")], rows=rows),
        Table(caption=_("Deltakelse per fylke"),
              header=[_("Fylke"), _("Kommuner som har levert"), *[str(s.label) for s in SubmissionState],
                      _("Fylkets egen rapport")], rows=county_rows)])


def _national_chapters(round_: Round, refs: References, chapters) -> list[Section]:
    """KS's own chapters from the country's submission in the round, each in the language it was written in."""
    sub = Submission.objects.filter(round=round_, unit__level__rank=0).first()
    narratives = submission_narratives(sub) if sub else {}
    sections = []
    for chapter in chapters:
        n = narratives.get(f"chapter:{chapter.value}")
        if n is None or not n.text.strip():
            continue
        ref = refs.add(unit=sub.unit.code, round=round_.pk, submission=sub.pk, revision=n.version,
                       source=f"chapter:{chapter.value}")
        sections.append(Section(key=chapter.value, title=str(chapter.label),
                                blocks=[Narrative(text=n.text, lang=n.language, ref=ref)]))
    return sections


def _county_matrix(lang: str, refs: References, round_: Round) -> Section:
    """Every county × the 17 goals in the four SDG colours (a chart and, for every reader, a table)."""
    run = _run()
    counties = list(units_current(levels=("county",)).order_by("code"))
    if run is None:
        return Section(key="county_goals", title=_("Fylkene per mål"),
                       blocks=[Paragraph(text=_("Ingen scorekjøring finnes."))])
    county_scores = {(g.unit_id, g.goal): g for g in GoalScore.objects.filter(run=run, unit__in=counties)}
    scores = {key: g.colour or "grey" for key, g in county_scores.items()}
    numbers = [g.number for g, _n in goals(lang)]
    order = ("green", "yellow", "orange", "red", "grey")
    cells, rows = [], []
    for c in counties:
        name = unit_name(c, lang)
        colours = [scores.get((c.pk, n), "grey") for n in numbers]
        cells += [{"row": name, "goal": n, "status": colour_label(col)} for n, col in zip(numbers, colours, strict=True)]
        counted = Counter(colours)
        rows.append([name, *[str(counted.get(col, 0)) for col in order]])
    ref = refs.add(unit="0", round=round_.pk, source=f"score run {run.pk} ({run.method} {run.method_version})")
    legend = [(colour_label(col), COLOUR_HEX[col]) for col in order]
    alt = _("Matrise med ett felt per fylke og mål, farget etter status: grønn er mål nådd, gul utfordringer "
            "gjenstår, oransje betydelige og rød store utfordringer. Tabellen under gir antallet per fylke.")
    return Section(key="county_goals", title=_("Fylkene per mål"), blocks=[
        Chart(id="vsr-county-goals", title=_("Status per fylke og mål"), alt=alt,
              spec=matrix_spec(title=_("Status per fylke og mål"), cells=cells, colours=legend, x_title=_("Mål"))),
        Table(caption=_("Antall mål per fylke i hver farge"),
              header=[_("Fylke"), *[colour_label(col) for col in order]], rows=rows, refs=[ref] * len(rows)),
        *_demo_share(("county",), lang),
        *_county_map(counties, county_scores, run, round_, lang, ref)])


def _county_map(counties: list[Unit], county_scores: dict, run, round_: Round, lang: str, ref: str) -> list:
    """The counties on a map in the four SDG colours of the goal the country scores lowest on, with its table."""
    if not counties:
        return []
    national = GoalScore.objects.filter(run=run, unit__level__code="country", unit__code="0")
    found = weakest_goal_status(national, counties, county_scores, lang)
    if found is None:
        return []
    weakest, goal_name, rows, summary = found
    title = _("Fylkenes status på mål %(n)s %(name)s") % {"n": weakest, "name": goal_name}
    alt = _("Kart over fylkene farget etter status på mål %(n)s %(name)s, målet der landet skårer lavest. "
            "Antall fylker: %(summary)s. Tabellen under gir status og skår per fylke.") % {
        "n": weakest, "name": goal_name, "summary": summary}
    return status_map(id="vsr-county-map", title=title, alt=alt, year=round_.year, layer=COUNTIES, rows=rows,
                      unit_label=_("Fylke"), value_label=_("Skår"), lang=lang, refs=[ref] * len(rows),
                      table_caption=_("Fylkenes skår og status på mål %(n)s") % {"n": weakest})


def _county_summaries(round_: Round, lang: str, refs: References) -> tuple[Section, list[Section]]:
    """One summary per county, drawn from the county's own submission (its assessment of its municipalities)."""
    subs = {s.unit_id: s for s in Submission.objects.filter(round=round_, unit__level__code="county")
            .prefetch_related("narratives")}
    blocks: list = []
    for c in units_current(levels=("county",)).order_by("code"):
        sub = subs.get(c.pk)
        texts = {n.key: n for n in sub.narratives.all()} if sub else {}
        n = texts.get(f"chapter:{CountyChapter.COUNTY_ASSESSMENT.value}") or texts.get(
            f"chapter:{CountyChapter.COUNTY_OPENING.value}")
        blocks.append(Section(key=f"county-{c.code}", title=unit_name(c, lang), level=2, blocks=[
            Narrative(text=n.text, lang=n.language, ref=refs.add(unit=c.code, round=round_.pk, submission=sub.pk,
                                                                 revision=n.version, source=n.key))
            if n is not None and n.text.strip() else
            Paragraph(text=_("Fylket har ikke levert sin egen vurdering i denne runden."))]))
    return Section(key="county_summaries", title=_("Sammendrag per fylke"), blocks=[
        Paragraph(text=_("Fylkenes egne vurderinger av kommunene sine."))]), blocks


def _shared_gaps(lang: str) -> Section:
    """The indicators where at least half of the country's municipalities are red or orange."""
    run = _run()
    country = units_current(levels=("country",)).first()
    gaps = shared_gaps_for(country, run) if country is not None and run is not None else []
    names = indicator_names([g.indicator for g in gaps], lang)
    rows = [[names.get(g.indicator, g.indicator), str(g.red), str(g.orange), f"{number(100 * g.share, lang)} %",
             number(g.population_affected, lang)] for g in gaps]
    block = (Table(caption=_("Felles utfordringer i hele landet"),
                   header=[_("Indikator"), _("Kommuner røde"), _("Kommuner oransje"), _("Andel"),
                           _("Befolkning berørt")], rows=rows)
             if rows else Paragraph(text=_("Ingen indikator er rød eller oransje for minst halvparten av kommunene.")))
    share = _demo_share(("municipality",), lang) if rows else []
    return Section(key="shared_gaps", title=_("Felles utfordringer i hele landet"), blocks=[block, *share])


def band_label(band: str) -> str:
    """The translated label of a municipality size band."""
    return str(SizeBand(band).label) if band in SizeBand.values else str(SizeBand.UNKNOWN.label)


def _value(agg, lang: str) -> str:
    if agg.yes_share is not None:
        yes = _("ja")
        return f"{number(100 * agg.yes_share, lang)} % {yes}"
    if agg.mean is not None:
        mean = _("snitt")
        return f"{mean} {number(agg.mean, lang)}"
    if agg.counts:
        return "; ".join(f"{k}: {v}" for k, v in agg.counts)
    return "–"


def _survey(round_: Round, lang: str) -> Section:
    rows = answer_rows(round_)
    questions = {q.pk: q for q in round_.questions.all()}
    counties = {u.code: unit_name(u, lang) for u in units_current(levels=("county",))}
    blocks: list = [Paragraph(text=_("Svar fra kommuner som har levert. Andelene regnes av dem som svarte."))]
    for by, caption, label in (("", _("Hele landet"), lambda g: _("Alle")),
                               ("county", _("Etter fylke"), lambda g: counties.get(g, g)),
                               ("band", _("Etter kommunestørrelse"), band_label)):
        table_rows = [[questions[a.question].text if a.question in questions else str(a.question), label(a.group),
                       str(a.answered), _value(a, lang)] for a in aggregate_answers(rows, by=by)
                      if questions.get(a.question) is None or questions[a.question].kind != "text"]
        blocks.append(Table(caption=_("Egenvurdering: %(group)s") % {"group": caption},
                            header=[_("Spørsmål"), _("Gruppe"), _("Svar"), _("Resultat")], rows=table_rows))
    return Section(key="survey", title=_("Resultater fra egenvurderingen"), blocks=blocks)


def _goals(lang: str, refs: References, round_: Round) -> Section:
    run = _run()
    if run is None:
        return Section(key="goals", title=_("Status per mål"), blocks=[Paragraph(text=_("Ingen scorekjøring finnes."))])
    national = {g.goal: g for g in GoalScore.objects.filter(run=run, unit__code="0", unit__level__code="country")}
    colours = Counter(GoalScore.objects.filter(run=run, unit__level__code="municipality").values_list("goal", "colour"))
    rows, chart_rows = [], []
    for goal, name in goals(lang):
        g = national.get(goal.number)
        rows.append([f"{goal.number} {name}", number(g.score if g else None, lang),
                     colour_label(g.colour if g and g.colour else "grey"),
                     *[str(colours.get((goal.number, c), 0)) for c in ("green", "yellow", "orange", "red")]])
        chart_rows.append({"label": f"{goal.number} {name}", "value": g.score if g and g.score is not None else 0})
    ref = refs.add(unit="0", round=round_.pk, source=f"score run {run.pk} ({run.method} {run.method_version})")
    best = max(chart_rows, key=lambda r: r["value"])
    worst = min(chart_rows, key=lambda r: r["value"])
    alt = _("Stolpediagram over nasjonal skår per mål, 0–100. Høyest: %(best)s (%(b)s). Lavest: %(worst)s (%(w)s).") % {
        "best": best["label"], "b": number(best["value"], lang), "worst": worst["label"], "w": number(worst["value"], lang)}
    return Section(key="goals", title=_("Status per mål"), blocks=[
        Table(caption=_("Nasjonal skår og kommunenes farger per mål"),
              header=[_("Mål"), _("Skår"), _("Status"), _("Grønn"), _("Gul"), _("Oransje"), _("Rød")], rows=rows,
              refs=[ref] * len(rows)),
        *_demo_share(("country", "municipality"), lang),
        Chart(id="vsr-goals", title=_("Nasjonal skår per mål"), alt=alt,
              spec=bar_spec(title=_("Nasjonal skår per mål"), rows=chart_rows, x_title=_("Skår"),
                            colour=COLOUR_HEX["green"]))])


def _summaries(round_: Round, lang: str, refs: References) -> Section:
    """One line per municipality that delivered: the first line of its opening, its strongest and weakest goal."""
    run = _run()
    subs = [s for s in reported_submissions(round_) if s.unit.level.code == "municipality"]
    openings = dict(Narrative_.objects.filter(submission__in=subs, key="chapter:opening")
                    .values_list("submission_id", "text"))
    by_unit: dict[int, list[tuple[float, int]]] = {}
    if run is not None:
        for unit_id, score, goal in (GoalScore.objects.filter(run=run, unit__in=[s.unit_id for s in subs])
                                     .exclude(score=None).values_list("unit_id", "score", "goal")):
            by_unit.setdefault(unit_id, []).append((score, goal))
    blocks: list = []
    states = {value: str(label) for value, label in SubmissionState.choices}  # translated once, not per line
    for sub in subs:
        scores = sorted(by_unit.get(sub.unit_id, []))
        opening = openings.get(sub.pk, "").strip()
        first = opening.split("\n")[0] if opening else _("Ingen åpningstekst.")
        parts = [first]
        if scores:
            parts.append(_("Sterkest på mål %(best)s, svakest på mål %(worst)s.") % {"best": scores[-1][1],
                                                                                    "worst": scores[0][1]})
        ref = refs.add(unit=sub.unit.code, round=round_.pk, submission=sub.pk, source="chapter:opening")
        blocks.append(Paragraph(text=f"{unit_name(sub.unit, lang)} ({states[sub.state]}): " + " ".join(parts),
                                refs=[ref]))
    if not blocks:
        blocks.append(Paragraph(text=_("Ingen kommuner har levert ennå.")))
    return Section(key="summaries", title=_("Sammendrag av de lokale rapportene"), blocks=blocks)


def _joint_actions(lang: str) -> Section:
    if not apps.is_installed("dugnad.actions"):
        return Section(key="actions", title=_("Felles tiltak på tvers av nivåer"),
                       blocks=[Paragraph(text=_("Tiltaksmodulen er ikke tatt i bruk."))])
    from dugnad.actions.models import Action
    from dugnad.actions.vocab import ActionStatus

    level_names = {"country": _("nasjonalt"), "county": _("fylke"), "municipality": _("kommune")}
    items = []
    for action in Action.objects.prefetch_related("partners__unit__level", "partners__organisation").order_by("title"):
        levels = {p.unit.level.code for p in action.partners.all() if p.unit_id}
        if len(levels) > 1:
            partners = ", ".join(
                f"{unit_name(p.unit, lang)} ({level_names.get(p.unit.level.code, p.unit.level.code)})" if p.unit_id
                else p.organisation.name for p in action.partners.all())
            status = str(ActionStatus(action.status).label).lower() if action.status in ActionStatus.values else ""
            items.append(f"{action.title} ({status}, {action.progress} %): {partners}")
    block = BulletList(items=items) if items else Paragraph(text=_("Ingen felles tiltak på tvers av nivåer."))
    return Section(key="actions", title=_("Felles tiltak på tvers av nivåer"), blocks=[block])


def _national_targets(lang: str) -> list[Section]:
    """Norway's own 2030 targets, distance to them and the ambition gap against the municipalities' targets."""
    country = unit_country()
    if country is None:
        return []
    section = targets_section(country, lang, members=True,
                              title=_("Mål for 2030: nasjonale mål og kommunenes mål (ambisjonsgap)"))
    return [section] if section is not None else []


@builder("vsr")
def vsr_build(*, round_: Round, lang: str = "nb") -> Document:
    """The national VSR of a round, in the language."""
    check_language(lang)
    token = _RUN.set(latest_score_run())
    counts = _COUNTS.set(value_demo_counts(indicators=round_.indicators.all(), periods=round_.periods,
                                           by=("unit__level__code",)))
    try:
        return _vsr(round_, lang)
    finally:
        _COUNTS.reset(counts)
        _RUN.reset(token)


def _vsr(round_: Round, lang: str) -> Document:
    with override(lang):
        refs = References()
        opening = _national_chapters(round_, refs, (NationalChapter.NATIONAL_INTRODUCTION,
                                                    NationalChapter.NATIONAL_METHOD))
        closing = _national_chapters(round_, refs, (NationalChapter.NATIONAL_ASSESSMENT,
                                                    NationalChapter.NATIONAL_MINISTRY))
        summaries, per_county = _county_summaries(round_, lang, refs)
        sections = [*opening, _participation(round_, lang), _survey(round_, lang), _goals(lang, refs, round_),
                    _county_matrix(lang, refs, round_),
                    counties_values_section(list(units_current(levels=("county",)).order_by("code")), round_, lang, refs),
                    summaries, *per_county, _shared_gaps(lang),
                    *_national_targets(lang),
                    _summaries(round_, lang, refs), _joint_actions(lang),
                    effects_section(key="effects", title=_("Effekten av felles tiltak"), lang=lang,
                                    include_demo=round_.is_demo, across_levels=True),
                    requests_section(key="requests", title=_("Hva kommunene ber staten om"), lang=lang,
                                     include_demo=round_.is_demo, to_levels=("stat",)),
                    *closing]
        counts = _COUNTS.get() or {}
        mix = mix_of_counts(sum(d for d, _t in counts.values()), sum(t for _d, t in counts.values()))
        return Document(kind=DocumentKind.VSR.value, lang=lang,
                        title=_("Nasjonal bærekraftsrapport %(year)s") % {"year": round_.year},
                        subtitle=round_.title, is_demo=round_.is_demo or mix in ("demo", "mixed"),
                        demo_label=banner_text(mix, lang) or demo_label(lang),
                        generated=generated_on(lang), sections=sections, references=refs.all())
