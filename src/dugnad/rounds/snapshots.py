"""Immutable snapshots: a submission's data, narratives and answers frozen as JSON."""

from __future__ import annotations

from django.utils import timezone

from dugnad.observations.models import Observation
from dugnad.rounds.models import Snapshot, Submission


def submission_document(submission: Submission) -> dict:
    """The whole submission as a JSON-ready document (values, narratives, survey answers, state)."""
    round_ = submission.round
    indicators = list(round_.indicators.select_related("framework").order_by("code"))
    observations = Observation.objects.current().filter(
        unit=submission.unit, indicator__in=indicators, period__in=round_.periods, dimension_key=""
    ).select_related("indicator__framework")
    values = sorted(
        (
            {"indicator": f"{o.indicator.framework.code}:{o.indicator.code}", "period": o.period,
             "value": o.value, "status": o.status, "revision": o.revision}
            for o in observations
        ),
        key=lambda v: (v["indicator"], v["period"]),
    )
    return {
        "round": {"id": round_.pk, "title": round_.title, "year": round_.year, "is_demo": round_.is_demo},
        "unit": {"code": submission.unit.code, "name": submission.unit.name},
        "state": submission.state,
        "version": submission.version,
        "review_comment": submission.review_comment,
        "values": values,
        "narratives": {n.key: n.text for n in submission.narratives.order_by("key")},
        "narrative_languages": {n.key: n.language for n in submission.narratives.order_by("key")},
        "answers": [
            {"question": a.question.text, "kind": a.question.kind, "value": a.value}
            for a in submission.answers.select_related("question").order_by("question__position", "question_id")
        ],
        "taken_at": timezone.now().isoformat(),
    }


def snapshot_take(*, submission: Submission, kind: str, user) -> Snapshot:
    """Store a new immutable snapshot of the submission (called inside the approving/closing service)."""
    return Snapshot.objects.create(
        submission=submission, kind=kind, data=submission_document(submission),
        taken_by=user if getattr(user, "is_authenticated", False) else None,
    )
