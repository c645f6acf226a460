"""The audit log: services write one entry per change, explicitly (no signals)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from dugnad.rounds.models import AuditEntry

_COLUMNS = "at, user_id, action, object_type, object_key, round_id, submission_id, before, after"
_INSERT = f"INSERT INTO {AuditEntry._meta.db_table} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"


def audit_record(*, user, action: str, object_type: str, object_key: str, before=None, after=None,
                 round_=None, submission=None) -> None:
    """Record who did what to which object, with the values before and after (``None``: SQL NULL).

    One fixed SQL statement (every save writes an entry; the ORM's insert cost more server CPU than the
    database's work). ``round_`` defaults to the submission's round; only ids are read from either.
    """
    round_id = round_.pk if round_ is not None else submission.round_id if submission is not None else None
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [
            ops.adapt_datetimefield_value(timezone.now()),
            user.pk if getattr(user, "is_authenticated", False) else None, action, object_type, object_key,
            round_id, submission.pk if submission is not None else None,
            None if before is None else ops.adapt_json_value(before, None),
            None if after is None else ops.adapt_json_value(after, None)])
