"""The demo round: an open national round for the current reporting year with submissions in every state."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from dugnad.catalogue.models import Framework
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.catalogue import DEMO_FRAMEWORK
from dugnad.rounds.editing import narrative_keys, submission_answer_save, submission_narrative_save
from dugnad.rounds.models import Round, Submission
from dugnad.rounds.services import round_open, submission_approve, submission_return, submission_submit
from dugnad.rounds.vocab import Chapter, QuestionKind, SubmissionState
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
    Chapter.OPENING: "Kommunen har brukt bærekraftsmålene som rammeverk for samfunnsplanleggingen siden 2019.",
    Chapter.POLICY: "Målene er innarbeidet i **kommuneplanens samfunnsdel** og i handlingsdelen.",
    Chapter.LEAVE_NO_ONE_BEHIND: "Vi følger særlig med på barn i lavinntektsfamilier og på utenforskap blant unge.",
    Chapter.GOAL_PROGRESS: "Framdriften er god på helse og utdanning, svakere på klima og areal.",
    Chapter.MEANS: "Arbeidet finansieres over driftsbudsjettet og gjennom regionale partnerskap.",
    Chapter.NEXT_STEPS: "- Bedre datagrunnlag\n- Flere felles tiltak med nabokommunene",
}

#: States given to the Vestland municipalities after Bergen (which stays a draft for the demo editor).
STATE_PLAN = (SubmissionState.SUBMITTED, SubmissionState.RETURNED, SubmissionState.APPROVED)


def _demo_users() -> dict:
    """The demo users by name (created by ``dugnad demo``)."""
    users = get_user_model().objects.filter(username__in=["ks", "vestland", "bergen", "admin"])
    return {u.username: u for u in users}


def _fill(*, user, submission: Submission, complete: bool) -> None:
    """Write demo narratives (all chapters, or the first two) and survey answers for one submission."""
    keys = narrative_keys(submission)
    for key in keys if complete else keys[:2]:
        kind, _sep, code = key.partition(":")
        text = DEMO_TEXTS.get(Chapter(code), "") if kind == "chapter" else f"Status for mål {code} er beskrevet i vedlegget."
        submission_narrative_save(user=user, submission=submission, key=key, text=f"{text}\n\n{DEMO_NOTE}", version=0)
    answers = {QuestionKind.YES_NO: "ja", QuestionKind.SCALE: 4, QuestionKind.CHOICE: "Kommunedirektøren",
               QuestionKind.TEXT: f"Vi deltar i det regionale bærekraftsnettverket. ({DEMO_LABEL_NB})"}
    for question in submission.round.questions.all():
        if complete or question.kind == QuestionKind.YES_NO:
            submission_answer_save(user=user, submission=submission, question=question, raw=answers[question.kind],
                                   version=0)


def _advance(*, users: dict, submission: Submission, state: SubmissionState) -> None:
    """Move a filled submission to the planned state through the review services."""
    editor = users["admin"]
    reviewer = users["vestland"] if submission.unit.parent and submission.unit.parent.code == "46" else users["ks"]
    submission = submission_submit(user=editor, submission=submission, confirm_incomplete=True)
    if state == SubmissionState.RETURNED:
        submission_return(user=reviewer, submission=submission,
                          comment=f"Tallene for siste år mangler forklaring – kan dere utdype? ({DEMO_LABEL_NB})")
    elif state == SubmissionState.APPROVED:
        submission_approve(user=reviewer, submission=submission)


@transaction.atomic
def demo_round_ensure(*, today: dt.date | None = None) -> str:
    """Create (once) the open national demo round for last year over the demo indicators; a one-line summary."""
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
        deadline=today + dt.timedelta(days=45), indicators=framework.indicators.all(), chapters=[c.value for c in Chapter],
        questions=DEMO_QUESTIONS, is_demo=True,
    )
    vestland = list(
        round_.submissions.filter(unit__parent__code="46").select_related("unit__parent", "round").order_by("unit__code")
    )
    bergen = next((s for s in vestland if s.unit.code == "4601"), None)
    if bergen is not None:
        _fill(user=users.get("bergen", users["admin"]), submission=bergen, complete=False)
    others = [s for s in vestland if s is not bergen]
    oslo = round_.submissions.filter(unit__code="0301").select_related("unit__parent", "round").first()
    planned = list(zip(others, STATE_PLAN, strict=False)) + ([(oslo, SubmissionState.APPROVED)] if oslo else [])
    for submission, state in planned:
        _fill(user=users["admin"], submission=submission, complete=True)
        _advance(users=users, submission=submission, state=state)
    return _summary(round_, created=True)


def _summary(round_: Round, *, created: bool) -> str:
    """One line: the round and its submissions per state."""
    counts = {s.label: round_.submissions.filter(state=s.value).count() for s in SubmissionState}
    states = ", ".join(f"{n} {str(label).lower()}" for label, n in counts.items())
    verb = "laget" if created else "finnes allerede"
    return f"Demorunde {verb}: «{round_.title}» (id {round_.pk}), {round_.submissions.count()} innleveringer: {states}."
