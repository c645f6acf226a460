"""The VSR builder: the national review of a round — participation, survey results, goal roll-ups and VLR summaries."""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import override

from dugnad.common.labels import demo_label
from dugnad.publications.aggregates import AnswerRow, aggregate_answers
from dugnad.publications.builders import builder
from dugnad.publications.builders.errors import check_language
from dugnad.publications.builders.labels import COLOUR_HEX, colour_label, generated_on
from dugnad.publications.builders.names import goals, number, unit_name
from dugnad.publications.charts import bar_spec
from dugnad.publications.document import BulletList, Chart, Document, Paragraph, References, Section, Table
from dugnad.publications.vocab import DocumentKind
from dugnad.rounds.models import Round, Submission, SurveyAnswer
from dugnad.rounds.vocab import SubmissionState
from dugnad.scores.models import GoalScore
from dugnad.scores.selectors import latest_score_run
from dugnad.units.selectors import size_bands, units_current
from dugnad.units.vocab import SizeBand

#: Submission states counted as "reported".
REPORTED = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


def reported_submissions(round_: Round) -> list[Submission]:
    """The round's submissions that were delivered (submitted or approved), by unit code."""
    return list(Submission.objects.filter(round=round_, state__in=REPORTED).select_related("unit__parent", "unit__level")
                .order_by("unit__code"))


def answer_rows(round_: Round) -> list[AnswerRow]:
    """Every answer of a reported municipality in the round, with its county and size band."""
    answers = list(SurveyAnswer.objects.filter(submission__round=round_, submission__state__in=REPORTED,
                                               submission__unit__level__code="municipality").select_related(
        "question", "submission__unit__parent"))
    bands = size_bands({a.submission.unit for a in answers}, round_.year)
    return [AnswerRow(question=a.question_id, kind=a.question.kind, value=a.value,
                      county=a.submission.unit.parent.code if a.submission.unit.parent else "",
                      band=bands[a.submission.unit.pk].value) for a in answers]


def _participation(round_: Round, lang: str) -> Section:
    counts = Counter(Submission.objects.filter(round=round_).values_list("state", flat=True))
    total = sum(counts.values())
    reported = sum(counts.get(s.value, 0) for s in REPORTED)
    rows = [[str(s.label), str(counts.get(s.value, 0))] for s in SubmissionState]
    return Section(key="participation", title=_("Deltakelse"), blocks=[
        Paragraph(text=_("%(reported)s av %(total)s enheter har levert (levert eller godkjent).")
                  % {"reported": reported, "total": total}),
        Table(caption=_("Innleveringer etter status"), header=[_("Status"), _("Antall")], rows=rows)])


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
    run = latest_score_run()
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
        Chart(id="vsr-goals", title=_("Nasjonal skår per mål"), alt=alt,
              spec=bar_spec(title=_("Nasjonal skår per mål"), rows=chart_rows, x_title=_("Skår"),
                            colour=COLOUR_HEX["green"]))])


def _summaries(round_: Round, lang: str, refs: References) -> Section:
    run = latest_score_run()
    blocks: list = []
    for sub in reported_submissions(round_):
        scores = sorted(GoalScore.objects.filter(run=run, unit=sub.unit).exclude(score=None).values_list("score", "goal"))
        opening = sub.narratives.filter(key="chapter:opening").first()
        first = (opening.text.strip().split("\n")[0] if opening and opening.text.strip() else _("Ingen åpningstekst."))
        parts = [first]
        if scores:
            parts.append(_("Sterkest på mål %(best)s, svakest på mål %(worst)s.") % {"best": scores[-1][1],
                                                                                    "worst": scores[0][1]})
        ref = refs.add(unit=sub.unit.code, round=round_.pk, submission=sub.pk, source="chapter:opening")
        blocks.append(Paragraph(text=f"{unit_name(sub.unit, lang)} ({sub.get_state_display()}): " + " ".join(parts),
                                refs=[ref]))
    if not blocks:
        blocks.append(Paragraph(text=_("Ingen enheter har levert ennå.")))
    return Section(key="summaries", title=_("Sammendrag av de lokale rapportene"), blocks=blocks)


def _joint_actions(lang: str) -> Section:
    if not apps.is_installed("dugnad.actions"):
        return Section(key="actions", title=_("Felles tiltak på tvers av nivåer"),
                       blocks=[Paragraph(text=_("Tiltaksmodulen er ikke tatt i bruk."))])
    from dugnad.actions.models import Action

    items = []
    for action in Action.objects.prefetch_related("partners__unit__level").order_by("title"):
        levels = {p.unit.level.code for p in action.partners.all() if p.unit_id}
        if len(levels) > 1:
            items.append(f"{action.title} ({', '.join(sorted(levels))}; {action.progress} %)")
    block = BulletList(items=items) if items else Paragraph(text=_("Ingen felles tiltak på tvers av nivåer."))
    return Section(key="actions", title=_("Felles tiltak på tvers av nivåer"), blocks=[block])


@builder("vsr")
def vsr_build(*, round_: Round, lang: str = "nb") -> Document:
    """The national VSR of a round, in the language."""
    check_language(lang)
    with override(lang):
        refs = References()
        sections = [_participation(round_, lang), _survey(round_, lang), _goals(lang, refs, round_),
                    _summaries(round_, lang, refs), _joint_actions(lang)]
        return Document(kind=DocumentKind.VSR.value, lang=lang,
                        title=_("Nasjonal bærekraftsrapport %(year)s") % {"year": round_.year},
                        subtitle=round_.title, is_demo=round_.is_demo, demo_label=demo_label(lang),
                        generated=generated_on(lang), sections=sections, references=refs.all())
