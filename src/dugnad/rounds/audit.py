"""The audit log: services write one entry per change, explicitly (no signals)."""

from __future__ import annotations

from dugnad.rounds.models import AuditEntry


def audit_record(*, user, action: str, object_type: str, object_key: str, before=None, after=None,
                 round_=None, submission=None) -> AuditEntry:
    """Record who did what to which object, with the values before and after."""
    if submission is not None and round_ is None:
        round_ = submission.round
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action, object_type=object_type, object_key=object_key,
        before=before, after=after, round=round_, submission=submission,
    )
