"""The demo round: an open national round for last year over every county and municipality, made once.

Deterministic: each municipality's state follows its place in an order fixed by a checksum of its code, so about
two thirds have delivered (submitted or approved), some were returned and the rest are drafts past the deadline.
Every county writes its own submission (the county-review chapters with its own figures, the survey) and KS writes
the national chapters in the country's submission. Narratives and answers of the many municipalities are stored in
bulk; every state change goes through the review services (audit and snapshots as in real use).
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.contrib.auth import get_user_model
from django.db import transaction

from dugnad.catalogue.models import Framework
from dugnad.catalogue.selectors import county_level_indicators
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.catalogue import DEMO_FRAMEWORK
from dugnad.rounds.editing import narrative_keys
from dugnad.rounds.models import Narrative, Round, Submission, SurveyAnswer
from dugnad.rounds.services import round_open, submission_approve, submission_return, submission_submit
from dugnad.rounds.vocab import Chapter, CountyChapter, NationalChapter, QuestionKind, SubmissionState
from dugnad.units.selectors import unit_current

DEMO_NOTE = f"*({DEMO_LABEL_NB}: teksten er skrevet for demonstrasjon.)*"

DEMO_QUESTIONS = [
    {"text": "Er bærekraftsmålene en del av kommuneplanens samfunnsdel?", "kind": QuestionKind.YES_NO},
    {"text": "Hvor godt er bærekraftsmålene forankret i økonomiplan og budsjett?", "kind": QuestionKind.SCALE,
     "scale_min": 1, "scale_max": 5},
    {"text": "Hvem har ansvaret for arbeidet med bærekraftsmålene?", "kind": QuestionKind.CHOICE,
     "choices": ["Kommunedirektøren", "Ordføreren", "En egen enhet", "Annet"]},
    {"text": "Beskriv samarbeidet med fylkeskommunen og nabokommunene.", "kind": QuestionKind.TEXT},
]

DEMO_TEXTS = {
    Chapter.OPENING: "{name} har brukt bærekraftsmålene som rammeverk for samfunnsplanleggingen siden 2019.",
    Chapter.POLICY: "Målene er innarbeidet i **kommuneplanens samfunnsdel** og i handlingsdelen.",
    Chapter.LEAVE_NO_ONE_BEHIND: "Vi følger særlig med på barn i lavinntektsfamilier og på utenforskap blant unge.",
    Chapter.GOAL_PROGRESS: "Framdriften er god på helse og utdanning, svakere på klima og areal.",
    Chapter.MEANS: "Arbeidet finansieres over driftsbudsjettet og gjennom regionale partnerskap.",
    Chapter.NEXT_STEPS: "- Bedre datagrunnlag\n- Flere felles tiltak med nabokommunene",
    CountyChapter.COUNTY_OPENING: "{name} fylkeskommune ser bærekraftsmålene som en felles ramme for hele regionen. "
                                  "Denne gjennomgangen samler kommunenes rapporter og fylkets egne vurderinger.",
    CountyChapter.COUNTY_ASSESSMENT: "{delivered} av {total} kommuner i {name} har levert sin rapport. Kommunene står "
                                     "sterkest på utdanning og helse; klima, areal og utenforskap blant unge er "
                                     "de felles utfordringene vi ser i flest kommuner.",
    CountyChapter.COUNTY_MOBILISATION: "Fylket samler kommunene i regionale samlinger to ganger i året, gir "
                                      "veiledning i datagrunnlaget og følger opp kommuner som ikke har levert.",
    CountyChapter.COUNTY_NETWORKS: "Det regionale bærekraftsnettverket i {name} møtes fire ganger i året. "
                                   "Felles tiltak gjelder kollektivtransport, klimatilpasning og folkehelse.",
    CountyChapter.COUNTY_NEXT_STEPS: "- Felles indikatorsett for regionen\n- Flere kommuner med i nettverket\n"
                                     "- Bedre data om utenforskap",
    NationalChapter.NATIONAL_INTRODUCTION: "Denne nasjonale gjennomgangen samler rapportene fra kommunene og fylkene "
                                           "i én felles runde, på ett felles datagrunnlag.",
    NationalChapter.NATIONAL_METHOD: "Tallene kommer fra SSB og kommunenes egne innleveringer. Målskårene er "
                                     "beregnet med SDSN-metoden; fylkenes verdier er rullert opp fra kommunene.",
    NationalChapter.NATIONAL_ASSESSMENT: "KS ser at kommunene har tatt bærekraftsmålene i bruk i planleggingen. "
                                         "De største felles utfordringene gjelder klima, areal og utenforskap.",
    NationalChapter.NATIONAL_MINISTRY: "KS og Kommunal- og distriktsdepartementet har samarbeidet om runden, "
                                       "indikatorene og oppfølgingen av de felles utfordringene.",
}

#: Shares of the municipalities (in checksum order) per state: the rest are drafts past the deadline.
PLAN = ((SubmissionState.APPROVED, 0.35), (SubmissionState.SUBMITTED, 0.30), (SubmissionState.RETURNED, 0.10))
#: Counties whose own submission is still a draft (the others are approved, the next two only submitted).
COUNTY_DRAFTS = ("31", "55")
COUNTY_SUBMITTED = ("42", "18")
#: Days past the deadline: the round is still open, so late drafts are overdue.
DAYS_PAST_DEADLINE = 14


def _demo_users() -> dict:
    """The demo users by name (created by ``dugnad demo``)."""
    users = get_user_model().objects.filter(username__in=["ks", "vestland", "vestland-redaktor", "bergen", "admin"])
    return {u.username: u for u in users}


def _order(code: str) -> int:
    return zlib.crc32(code.encode())


def municipality_plan(codes: list[str]) -> dict[str, SubmissionState]:
    """The planned state of each municipality: by shares of the checksum order; Bergen stays a draft (demo editor)."""
    ordered = sorted((c for c in codes if c != "4601"), key=_order)
    plan, start = {}, 0
    for state, share in PLAN:
        end = start + round(share * len(ordered))
        plan.update(dict.fromkeys(ordered[start:end], state))
        start = end
    plan.update(dict.fromkeys(ordered[start:], SubmissionState.DRAFT))
    if "4601" in codes:
        plan["4601"] = SubmissionState.DRAFT
    return plan


def _text(key: str, fields: dict) -> str:
    kind, _sep, code = key.partition(":")
    if kind != "chapter":
        return f"Status for mål {code} er beskrevet i vedlegget.\n\n{DEMO_NOTE}"
    template = next((t for c, t in DEMO_TEXTS.items() if c.value == code), "")
    return f"{template.format(**fields)}\n\n{DEMO_NOTE}"


def _fill_bulk(*, user, submissions: list[Submission], fields: dict[int, dict], partial: set[int]) -> None:
    """Write the narratives (all, or the first two for ``partial``) and survey answers of many submissions at once."""
    narratives, answers = [], []
    values = {QuestionKind.YES_NO: True, QuestionKind.SCALE: 4, QuestionKind.CHOICE: "Kommunedirektøren",
              QuestionKind.TEXT: f"Vi deltar i det regionale bærekraftsnettverket. ({DEMO_LABEL_NB})"}
    questions = list(submissions[0].round.questions.all()) if submissions else []
    keys_by_level: dict[str, list[str]] = {}
    for sub in submissions:
        level = sub.unit.level.code
        if level not in keys_by_level:
            keys_by_level[level] = narrative_keys(sub)
        keys = keys_by_level[level]
        chosen = keys[:2] if sub.pk in partial else keys
        narratives += [Narrative(submission=sub, key=k, text=_text(k, fields[sub.pk]), version=1, updated_by=user)
                       for k in chosen]
        scale = 2 + _order(sub.unit.code) % 4
        for q in questions:
            if sub.pk in partial and q.kind != QuestionKind.YES_NO:
                continue
            value = scale if q.kind == QuestionKind.SCALE else (
                scale >= 3 if q.kind == QuestionKind.YES_NO else values[q.kind])
            answers.append(SurveyAnswer(submission=sub, question=q, value=value, version=1, updated_by=user))
    Narrative.objects.bulk_create(narratives, batch_size=1000)
    SurveyAnswer.objects.bulk_create(answers, batch_size=1000)


def _advance(*, users: dict, submission: Submission, state: SubmissionState) -> None:
    """Move a filled submission to the planned state through the review services."""
    if state == SubmissionState.DRAFT:
        return
    level = submission.unit.level.code
    editor = users.get("vestland-redaktor") if submission.unit.code == "46" else None
    editor = editor or users["admin"]
    in_vestland = level == "municipality" and submission.unit.parent and submission.unit.parent.code == "46"
    reviewer = users["vestland"] if in_vestland else users["ks"]
    submission = submission_submit(user=editor, submission=submission, confirm_incomplete=True)
    if state == SubmissionState.RETURNED:
        submission_return(user=reviewer, submission=submission,
                          comment=f"Tallene for siste år mangler forklaring – kan dere utdype? ({DEMO_LABEL_NB})")
    elif state == SubmissionState.APPROVED:
        submission_approve(user=reviewer, submission=submission)


@transaction.atomic
def demo_round_ensure(*, today: dt.date | None = None) -> str:
    """Create (once) the open national demo round for last year over the demo indicators and the county-level
    indicators (which only the counties' grids show); a one-line summary."""
    today = today or dt.date.today()
    year = today.year - 1
    existing = Round.objects.filter(is_demo=True, year=year).first()
    if existing is not None:
        return _summary(existing, created=False)
    users = _demo_users()
    framework = Framework.objects.filter(code=DEMO_FRAMEWORK).first()
    country = unit_current("0")
    if framework is None or country is None or not {"ks", "vestland", "admin"} <= set(users):
        return "Demorunde ikke laget: demo-rammeverket, landet (enhet 0) eller demobrukerne mangler."
    round_ = round_open(
        user=users["ks"], scope_unit=country, title=f"Bærekraftsrapportering {year} ({DEMO_LABEL_NB})", year=year,
        deadline=today - dt.timedelta(days=DAYS_PAST_DEADLINE),
        indicators=[*framework.indicators.all(), *county_level_indicators(on=today)],  # the counties' own too
        chapters=[c.value for c in Chapter], questions=DEMO_QUESTIONS, is_demo=True,
    )
    subs = list(round_.submissions.select_related("unit__parent", "unit__level", "round").order_by("unit__code"))
    municipalities = [s for s in subs if s.unit.level.code == "municipality"]
    counties = [s for s in subs if s.unit.level.code == "county"]
    national = [s for s in subs if s.unit.level.code == "country"]
    plan = municipality_plan([s.unit.code for s in municipalities])
    delivered = {"approved", "submitted"}
    per_county: dict[str, list[str]] = {}
    for s in municipalities:
        per_county.setdefault(s.unit.parent.code if s.unit.parent else "", []).append(plan[s.unit.code])
    fields = {s.pk: {"name": s.unit.name,
                     "delivered": sum(1 for st in per_county.get(s.unit.code, []) if st in delivered),
                     "total": len(per_county.get(s.unit.code, []))} for s in subs}
    # drafts past the deadline: every other one has begun (two texts, one answer), the rest are empty
    drafts = [s for s in municipalities if plan[s.unit.code] == SubmissionState.DRAFT]
    begun = {s.pk for i, s in enumerate(sorted(drafts, key=lambda s: _order(s.unit.code))) if i % 2 == 0}
    begun.add(next((s.pk for s in drafts if s.unit.code == "4601"), 0))
    filled = [s for s in municipalities if plan[s.unit.code] != SubmissionState.DRAFT or s.pk in begun]
    county_plan = {s.unit.code: (SubmissionState.DRAFT if s.unit.code in COUNTY_DRAFTS else SubmissionState.SUBMITTED
                                 if s.unit.code in COUNTY_SUBMITTED else SubmissionState.APPROVED) for s in counties}
    county_partial = {s.pk for s in counties if county_plan[s.unit.code] == SubmissionState.DRAFT}
    _fill_bulk(user=users["admin"], submissions=filled, fields=fields, partial=begun)
    _fill_bulk(user=users.get("vestland-redaktor", users["admin"]), submissions=counties, fields=fields,
               partial=county_partial)
    _fill_bulk(user=users["ks"], submissions=national, fields=fields, partial=set())
    for s in municipalities:
        _advance(users=users, submission=s, state=plan[s.unit.code])
    for s in counties:
        _advance(users=users, submission=s, state=county_plan[s.unit.code])
    return _summary(round_, created=True)


def _summary(round_: Round, *, created: bool) -> str:
    """One line: the round and its submissions per state."""
    counts = {s.label: round_.submissions.filter(state=s.value).count() for s in SubmissionState}
    states = ", ".join(f"{n} {str(label).lower()}" for label, n in counts.items())
    verb = "laget" if created else "finnes allerede"
    return f"Demorunde {verb}: «{round_.title}» (id {round_.pk}), {round_.submissions.count()} innleveringer: {states}."
