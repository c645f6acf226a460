"""Row locks of a write to a submission: the round shared, the submission exclusive, always in that order.

Every write to a submission (a grid value, a text, an answer, a state change) first takes the round's row in
``FOR SHARE`` mode and then the submission's row ``FOR UPDATE``. Saves of different submissions therefore no longer
queue behind one another on the round's row (a ``FOR UPDATE`` over the submission–round join locked the round
exclusively: every save of a national round waited for the previous one's commit), while closing or reopening the
round (``FOR UPDATE`` of the round) still waits for the writes in flight, and a write that starts after waits for the
close and then sees the round closed. The same order everywhere means two writers cannot deadlock on these rows.
On SQLite the write transaction locks the whole store instead and both statements are plain reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from dugnad.rounds.models import Round, Submission
from dugnad.rounds.vocab import RoundState, SubmissionState


def round_share(round_id: int) -> None:
    """Lock the round's row against closing and reopening until the transaction ends (PostgreSQL ``FOR SHARE``)."""
    if connection.vendor != "postgresql":
        return
    table, key = (connection.ops.quote_name(name) for name in (Round._meta.db_table, Round._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {key} = %s FOR SHARE", [round_id])


def submission_lock(submission: Submission) -> Submission:
    """The submission re-read with its round, unit and level, its row locked for update after the round's shared lock."""
    round_share(submission.round_id)
    return (Submission.objects.select_for_update(of=("self",)).select_related("round", "unit__level")
            .get(pk=submission.pk))


@dataclass(frozen=True)
class LockedSubmission:
    """A submission as read under its row lock (``submission_locked``): its and its round's state and the round's
    years, fresh, with the unit of the submission the caller had (a submission never changes unit). The permission
    rules (``accounts.permissions``) take it as they take a ``Submission``."""

    pk: int
    round_id: int
    unit: object
    state: str
    round_state: str
    year: int
    years_back: int

    @property
    def is_editable(self) -> bool:
        """``Submission.is_editable``: draft or returned, in an open round."""
        return SubmissionState(self.state).is_editable and self.round_state == RoundState.OPEN

    @property
    def periods(self) -> list[str]:
        """The round's grid years, as ``Round.periods`` gives them."""
        return [str(y) for y in range(self.year - self.years_back, self.year + 1)]


_SUB, _ROUND = Submission._meta.db_table, Round._meta.db_table
#: PostgreSQL: the round's row locked shared (a materialised ``WITH``, read first) and then the submission's row for
#: update, in one statement: the order above (round, then submission).
_PG_LOCK = (
    f"WITH r AS MATERIALIZED (SELECT id, state, year, years_back FROM {_ROUND} WHERE id = %s FOR SHARE) "
    f"SELECT s.state, r.state, r.year, r.years_back FROM {_SUB} s JOIN r ON r.id = s.round_id WHERE s.id = %s "
    f"FOR UPDATE OF s"
)


def submission_locked(submission: Submission) -> LockedSubmission:
    """``submission_lock`` in one fixed SQL statement for the grid's hot path: the locks in the same order, and only
    what a value save decides by, read fresh (``Submission.DoesNotExist`` when the submission is gone)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_LOCK, [submission.round_id, submission.pk])
        else:
            cursor.execute(f"SELECT s.state, r.state, r.year, r.years_back FROM {_SUB} s "
                           f"JOIN {_ROUND} r ON r.id = s.round_id WHERE s.id = %s", [submission.pk])
        row = cursor.fetchone()
    if row is None:
        raise Submission.DoesNotExist("Innleveringen finnes ikke.")
    return LockedSubmission(submission.pk, submission.round_id, submission.unit, *row)
