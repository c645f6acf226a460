"""Reads of rounds for pages, the API and the CLI: grids, narratives, answers and the status overview."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from dugnad.accounts import rows as fixed_rows
from dugnad.accounts.permissions import memberships_of, units_round_scopes_for
from dugnad.catalogue.models import Framework, Indicator, IndicatorSpec
from dugnad.catalogue.selectors import goals_by_number, indicator_specs_in_force, indicators_for_level
from dugnad.observations.models import Observation
from dugnad.observations.provenance import provenance_of
from dugnad.observations.selectors import unit_series_carried
from dugnad.rounds.editing import narrative_keys
from dugnad.rounds.models import Round, Snapshot, Submission, SurveyAnswer, SurveyQuestion
from dugnad.rounds.vocab import NarrativeLanguage, RoundState, SubmissionState, chapter_label
from dugnad.units.models import Level, Unit
from dugnad.units.selectors import size_bands
from dugnad.units.vocab import SizeBand


@dataclass
class GridCell:
    """One cell of the data-entry grid: stored value, status and the revision the editor saw."""

    period: str
    value: float | None = None
    status: str = ""
    revision: int = 0
    #: For a value carried from a predecessor's code (nothing stored under the unit's own code for the period):
    #: its origin for people, «videreført fra 3001 Halden».
    origin: str = ""
    #: Where a stored value comes from when not entered by the unit: the demo label or «Kilde: …»
    #: (``observations.provenance``).
    provenance: str = ""


@dataclass
class GridRow:
    """One indicator row of the grid."""

    indicator: object
    unit_of_measure: str
    goal: int | None
    cells: list[GridCell] = field(default_factory=list)


def submission_grid(submission: Submission) -> list[GridRow]:
    """The round's indicators × years, pre-filled with the unit's current stored values; a period with nothing
    stored under the unit's own code shows the value carried from its predecessors (Halden 3101 ← 3001) with
    its origin. Such a cell is saved under the unit's own code only when someone changes it.

    Only the indicators the unit's level reports (``catalogue.selectors.indicators_for_level``): a county's grid
    has the county-level indicators (upper secondary school, county roads, …), a municipality's grid does not."""
    round_ = submission.round
    indicators = list(round_.indicators.select_related("framework").prefetch_related("goals").order_by("code"))
    specs = indicator_specs_in_force(indicators)
    indicators = indicators_for_level(indicators, submission.unit.level.code, specs=specs)
    stored = {
        (o.indicator_id, o.period): o
        for o in Observation.objects.current().filter(
            unit=submission.unit, indicator__in=indicators, period__in=round_.periods, dimension_key=""
        ).select_related("import_run")
    }
    lang = (get_language() or "nb")[:2]
    carried = {
        (r["indicator_id"], r["period"]): r
        for r in unit_series_carried(submission.unit, on=dt.date.today(), lang=(get_language() or "nb")[:2],
                                     indicators=indicators, periods=round_.periods)
        if r["carried_from"] and (r["indicator_id"], r["period"]) not in stored
    }
    rows = []
    for indicator in indicators:
        spec = specs.get(indicator.pk)
        goals = [g.number for g in indicator.goals.all()]
        row = GridRow(indicator=indicator, unit_of_measure=(spec.unit_of_measure if spec else "") or indicator.unit_of_measure,
                      goal=(spec.goal_id if spec and spec.goal_id else (goals[0] if goals else None)))
        for period in round_.periods:
            obs = stored.get((indicator.pk, period))
            if obs is None and (indicator.pk, period) in carried:
                c = carried[(indicator.pk, period)]
                row.cells.append(GridCell(period, c["value"], c["status"], 0, origin=c["origin"]))
                continue
            row.cells.append(GridCell(period, obs.value, obs.status, obs.revision, provenance=_provenance_label(obs, lang))
                             if obs else GridCell(period))
        rows.append(row)
    return rows


def _provenance_label(obs: Observation, lang: str) -> str:
    """A stored cell's provenance for the grid: the demo label, or «Kilde: …» for a published source; nothing for
    values the unit entered itself (``observations.provenance``)."""
    found = provenance_of(obs.import_run)
    return "" if found.kind == "entered" else found.label(lang)


def submission_answers(submission: Submission) -> list[tuple[object, SurveyAnswer | None]]:
    """Each survey question of the round with the submission's answer (or None)."""
    answers = {a.question_id: a for a in SurveyAnswer.objects.filter(submission=submission)}
    return [(q, answers.get(q.pk)) for q in submission.round.questions.all()]


def submission_narratives(submission: Submission) -> dict[str, object]:
    """The submission's narratives by key."""
    return {n.key: n for n in submission.narratives.all()}


@dataclass
class OverviewRow:
    """One participating unit in the coordinator's overview."""

    submission: Submission
    county: str
    size: SizeBand
    overdue: bool


def round_overview(round_: Round, *, user, county: str = "", size: str = "", today: dt.date | None = None):
    """The round's submissions the user can see, filtered by county code and size band (by population on 1 January
    of the round's year), with status counts."""
    today = today or dt.date.today()
    subs = (
        Submission.objects.visible_to(user).in_round(round_).select_related("unit__parent", "unit__level", "round")
        .order_by("unit__code")
    )
    if county:
        subs = subs.filter(unit__parent__code=county)
    subs = list(subs)
    bands = size_bands([sub.unit for sub in subs], round_.year)
    rows = []
    for sub in subs:
        band = bands[sub.unit.pk]
        if size and band != size:
            continue
        overdue = today > round_.deadline and sub.state in (SubmissionState.DRAFT, SubmissionState.RETURNED)
        level = sub.unit.level.code
        county = (sub.unit.parent.code if sub.unit.parent else "") if level == "municipality" else (
            sub.unit.code if level == "county" else "")  # a county's own submission belongs to that county
        rows.append(OverviewRow(sub, county, band, overdue))
    counts = Counter(r.submission.state for r in rows)
    return rows, {s.value: counts.get(s.value, 0) for s in SubmissionState}


def round_counties(round_: Round, *, user) -> list[tuple[str, str]]:
    """The counties (code, name) of the round's submissions the user can see, for the filter."""
    pairs = (
        Submission.objects.visible_to(user).in_round(round_).filter(unit__level__code="municipality")
        .exclude(unit__parent=None)
        .values_list("unit__parent__code", "unit__parent__name").distinct().order_by("unit__parent__code")
    )
    return list(pairs)


def rounds_visible_to(user):
    """The rounds the user can see, with their scope unit."""
    return Round.objects.visible_to(user).select_related("scope_unit")


def round_get(pk: int) -> Round | None:
    """The round with this id (scope unit and level loaded), or None."""
    return Round.objects.select_related("scope_unit__level").filter(pk=pk).first()


def round_is_visible(round_: Round, *, user) -> bool:
    """Whether the user can see the round."""
    return Round.objects.visible_to(user).filter(pk=round_.pk).exists()


def rounds_with_counts():
    """Every round with its scope unit and the number of submissions in each state (``n_<state>``)."""
    counts = {f"n_{s.value}": Count("submissions", filter=Q(submissions__state=s.value)) for s in SubmissionState}
    return Round.objects.select_related("scope_unit").annotate(**counts)


def submission_get(pk: int) -> Submission | None:
    """The submission with this id (round with scope unit, unit with parent and level), or None."""
    # order_by(): by pk, not by the model's ordering (round, unit code), whose joins cost the query compile
    return (Submission.objects.select_related("round__scope_unit", "unit__parent", "unit__level").filter(pk=pk)
            .order_by().first())


#: Fields the grid's save reads by hand (``submission_for_save``, ``round_indicator_get``); the rest of each row is
#: deferred (loaded on first use, which the save never needs).
_SAVE_FIELDS = {
    Submission: frozenset({"id", "round_id", "unit_id", "state", "version"}),
    Unit: frozenset({"id", "code", "name", "level_id", "parent_id"}),
    Level: frozenset({"id", "code", "name_nb", "rank"}),
    Indicator: frozenset({"id", "framework_id", "code", "name_nb", "name_nn", "name_en", "unit_of_measure"}),
    Framework: frozenset({"id", "code", "name"}),
}
_BIGINT = 1 << 63


def _columns(alias: str, model) -> str:
    return fixed_rows.columns(model, alias, _SAVE_FIELDS[model])


def _instance(model, values):
    return fixed_rows.instance(model, values, _SAVE_FIELDS[model], using=connection.alias)


def _width(model) -> int:
    return fixed_rows.width(model, _SAVE_FIELDS[model])


def _row_id(pk) -> int | None:
    """``pk`` as a row id a fixed statement may bind (a positive 64-bit integer), else None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < _BIGINT else None


def submission_for_save(pk) -> Submission | None:
    """The submission with this id as a save and its permission check need it, in one fixed SQL statement (the
    grid's hot path; ``submission_get`` reads the whole rows through the ORM): its unit with level and parent (the
    parent's own parent id too, for a coordinator's reach); the round is read when used. None when there is none."""
    pk = _row_id(pk)
    if pk is None:
        return None
    sub, unit, level = (model._meta.db_table for model in (Submission, Unit, Level))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_columns('s', Submission)}, {_columns('u', Unit)}, {_columns('l', Level)}, {_columns('p', Unit)} "
            f"FROM {sub} s JOIN {unit} u ON u.id = s.unit_id "
            f"JOIN {level} l ON l.id = u.level_id LEFT JOIN {unit} p ON p.id = u.parent_id WHERE s.id = %s", [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    cut = [_width(m) for m in (Submission, Unit, Level)]
    submission = _instance(Submission, row[:cut[0]])
    unit = _instance(Unit, row[cut[0]:cut[0] + cut[1]])
    unit.level = _instance(Level, row[cut[0] + cut[1]:sum(cut)])
    unit.parent = None if unit.parent_id is None else _instance(Unit, row[sum(cut):])
    submission.unit = unit
    return submission


def round_indicator_get(round_id: int, pk) -> object | None:
    """The indicator with this id, as a save needs it, in one fixed SQL statement (None when there is none): its
    framework, ``in_rounds`` = ``{round_id: whether the round asks for it}``, ``spec_unit_of_measure`` (the unit of
    measure of its latest spec, '' without one; ``observations.bounds.is_percentage`` reads it) and
    ``spec_applies_to`` (that spec's level rule, None without a spec; the save checks the unit's level by it)."""
    pk = _row_id(pk)
    if pk is None:
        return None
    indicator, framework, spec = (model._meta.db_table for model in (Indicator, Framework, IndicatorSpec))
    through = Round.indicators.through._meta.db_table
    latest = f"FROM {spec} s WHERE s.indicator_id = i.id ORDER BY s.version DESC LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_columns('i', Indicator)}, {_columns('f', Framework)}, "
            f"EXISTS (SELECT 1 FROM {through} t WHERE t.round_id = %s AND t.indicator_id = i.id), "
            f"COALESCE((SELECT s.unit_of_measure {latest}), ''), (SELECT s.applies_to {latest}) "
            f"FROM {indicator} i JOIN {framework} f ON f.id = i.framework_id WHERE i.id = %s", [round_id, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    cut = _width(Indicator)
    found = _instance(Indicator, row[:cut])
    found.framework = _instance(Framework, row[cut:cut + _width(Framework)])
    found.in_rounds = {round_id: bool(row[-3])}
    found.spec_unit_of_measure, found.spec_applies_to = row[-2], row[-1]
    return found


def submissions_editable_by(user):
    """The submissions the user may edit, with round and unit."""
    return Submission.objects.editable_by(user).select_related("round", "unit")


def submissions_visible_in_round(round_: Round, *, user):
    """The round's submissions the user can see, with their unit."""
    return Submission.objects.visible_to(user).in_round(round_).select_related("unit")


def submissions_of_round(round_: Round):
    """Every submission of the round with its unit, the unit's level and parent."""
    return Submission.objects.filter(round=round_).select_related("unit__level", "unit__parent")


def survey_question_get(*, round_id: int, pk) -> SurveyQuestion | None:
    """The round's survey question with this id (a number or its text), or None."""
    try:
        return SurveyQuestion.objects.filter(pk=int(pk), round_id=round_id).first()
    except (TypeError, ValueError):
        return None


def snapshot_get(*, submission: Submission, pk: int) -> Snapshot | None:
    """One of the submission's snapshots, or None."""
    return Snapshot.objects.filter(pk=pk, submission=submission).first()


# --- completeness of a submission (shown before submit, checked again by the submit service) ---

@dataclass
class Section:
    """One part of a submission page with its progress: done of total, and what is missing."""

    key: str
    label: str
    anchor: str
    done: int
    total: int
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass
class Completeness:
    """What a submission still lacks: empty grid cells, unwritten texts and unanswered survey questions."""

    data: Section
    texts: list[Section]
    survey: Section

    @property
    def missing_cells(self) -> int:
        return self.data.total - self.data.done

    @property
    def empty_texts(self) -> list[Section]:
        return [s for s in self.texts if not s.complete]

    @property
    def unanswered(self) -> int:
        return self.survey.total - self.survey.done

    @property
    def complete(self) -> bool:
        return self.missing_cells == 0 and not self.empty_texts and self.unanswered == 0

    @property
    def sections(self) -> list[Section]:
        """Every part in page order (data, each text, survey)."""
        return [self.data, *self.texts, self.survey]

    def summary(self) -> str:
        """One line naming what is missing, in the active language (errors; the audit log keeps it in bokmål)."""
        parts = []
        if self.missing_cells:
            parts.append(ngettext("%(n)s tom celle", "%(n)s tomme celler", self.missing_cells) % {"n": self.missing_cells})
        if self.empty_texts:
            n = len(self.empty_texts)
            parts.append(ngettext("%(n)s tom tekst", "%(n)s tomme tekster", n) % {"n": n})
        if self.unanswered:
            parts.append(ngettext("%(n)s ubesvart spørsmål", "%(n)s ubesvarte spørsmål", self.unanswered)
                         % {"n": self.unanswered})
        return ", ".join(parts)


def submission_text_sections(submission: Submission) -> list[dict]:
    """Each narrative the submission asks for: key, label (chapter or goal name), stored narrative and DOM id."""
    stored = submission_narratives(submission)
    goals = goals_by_number()
    sections = []
    for key in narrative_keys(submission):
        kind, _sep, code = key.partition(":")
        if kind == "chapter":
            label = chapter_label(code)
        else:
            goal = goals.get(int(code))
            label = _("Mål %(n)s: %(name)s") % {"n": code, "name": goal.name_nb if goal else ""}
        sections.append({"key": key, "label": label, "narrative": stored.get(key), "dom_id": key.replace(":", "-"),
                         "languages": NarrativeLanguage.choices})
    return sections


def submission_completeness(submission: Submission, *, grid: list[GridRow] | None = None,
                            texts: list[dict] | None = None, answers=None) -> Completeness:
    """What the submission lacks, per part of the page (pass what the page already read to save queries)."""
    grid = submission_grid(submission) if grid is None else grid
    texts = submission_text_sections(submission) if texts is None else texts
    answers = submission_answers(submission) if answers is None else answers
    cells = [(row, cell) for row in grid for cell in row.cells]
    missing_cells = [f"{row.indicator.code} {cell.period}" for row, cell in cells if cell.value is None]
    data = Section("data", _("Tall"), "data", len(cells) - len(missing_cells), len(cells), missing_cells)
    text_sections = []
    for t in texts:
        written = bool(t["narrative"] and t["narrative"].text.strip())
        text_sections.append(Section(t["key"], str(t["label"]), f"n-{t['dom_id']}", int(written), 1,
                                     [] if written else [str(t["label"])]))
    unanswered = [f"{q.position}. {q.text}" for q, a in answers if a is None or a.value in (None, "")]
    survey = Section("survey", _("Egenvurdering"), "egenvurdering", len(answers) - len(unanswered), len(answers),
                     unanswered)
    return Completeness(data, text_sections, survey)


# --- coordinators: close summary, «Mitt arbeid» ---

def round_state_counts(round_: Round) -> dict[str, int]:
    """The number of the round's submissions in each state (every state present, zero when none)."""
    counts = dict(Submission.objects.in_round(round_).values_list("state").annotate(n=Count("pk")).order_by())
    return {s.value: counts.get(s.value, 0) for s in SubmissionState}


def submissions_awaiting_review(user, *, limit: int = 50):
    """Submitted submissions in open rounds that the user reviews, oldest first."""
    return (Submission.objects.reviewable_by(user)
            .filter(state=SubmissionState.SUBMITTED, round__state=RoundState.OPEN)
            .select_related("round", "unit").order_by("submitted_at", "pk")[:limit])


def submissions_of_own_units(user, *, limit: int = 20):
    """The submissions, in open rounds, of the units the user holds a role on directly (not those below)."""
    units = [m.unit_id for m in memberships_of(user)]
    return (Submission.objects.filter(unit_id__in=units, round__state=RoundState.OPEN)
            .select_related("round", "unit").order_by("round__deadline", "unit__code")[:limit])


def rounds_managed_by(user):
    """Open rounds the user coordinates (may close), with state counts as ``n_<state>``."""
    return rounds_with_counts().filter(scope_unit__in=units_round_scopes_for(user), state=RoundState.OPEN)


def rounds_of_county(county, *, user):
    """Rounds the user can see that have submissions from the county's municipalities, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    return (Round.objects.visible_to(user).filter(submissions__unit__parent=county).distinct()
            .order_by("-year", "-created_at"))
