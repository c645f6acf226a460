"""Milestone reminders: e-mails through Django's mail backend to the people of the party that owns a milestone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.actions.models import Milestone

#: A milestone is reminded again at most once per this many days.
REMIND_INTERVAL_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    """One reminder e-mail sent (or that would be sent in a dry run)."""

    milestone_id: int
    action: str
    title: str
    due: dt.date
    recipients: tuple[str, ...]


def _recipients(milestone: Milestone) -> list[str]:
    """E-mail addresses of users with an editing role on the owning partner's unit (the lead's when unowned)."""
    partner = milestone.partner or milestone.action.lead
    if partner is None or partner.unit_id is None:
        return []
    roles = [r.value for r in Role if r.can_edit]
    rows = Membership.objects.filter(unit_id=partner.unit_id, role__in=roles).exclude(user__email="")
    return sorted({m.user.email for m in rows.select_related("user")})


def milestones_due(*, today: dt.date, days_ahead: int = 14) -> list[Milestone]:
    """Open milestones due within ``days_ahead`` days (or overdue) not reminded in the last week."""
    horizon = today + dt.timedelta(days=days_ahead)
    recent = today - dt.timedelta(days=REMIND_INTERVAL_DAYS)
    rows = Milestone.objects.filter(done_on__isnull=True, due__lte=horizon).select_related("action", "partner__unit")
    return [m for m in rows if m.reminded_on is None or m.reminded_on <= recent]


@transaction.atomic
def milestone_reminders_send(*, today: dt.date | None = None, days_ahead: int = 14, dry_run: bool = False) -> list[Reminder]:
    """E-mail a reminder for every due milestone that has recipients, and note the date on it."""
    today = today or dt.date.today()
    sent = []
    for milestone in milestones_due(today=today, days_ahead=days_ahead):
        recipients = _recipients(milestone)
        if not recipients:
            continue
        overdue = milestone.due < today
        subject = f"{'Forfalt' if overdue else 'Påminnelse'}: {milestone.title} ({milestone.due:%d.%m.%Y})"
        body = (f"Milepælen «{milestone.title}» i tiltaket «{milestone.action.title}» har frist "
                f"{milestone.due:%d.%m.%Y}{' og er forfalt' if overdue else ''}.\n\n"
                "Marker den som fullført i Dugnad når den er nådd.\n")
        if not dry_run:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
            Milestone.objects.filter(pk=milestone.pk).update(reminded_on=today)
        sent.append(Reminder(milestone.pk, milestone.action.title, milestone.title, milestone.due, tuple(recipients)))
    return sent
