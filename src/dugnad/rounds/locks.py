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

from django.db import connection

from dugnad.rounds.models import Round, Submission


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
