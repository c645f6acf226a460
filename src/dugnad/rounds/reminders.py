"""Reminder e-mails to the editors of units that have not yet submitted, through Django's e-mail backend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _

from dugnad.accounts.models import Membership
from dugnad.accounts.permissions import can_manage_round
from dugnad.accounts.vocab import Role
from dugnad.rounds.audit import audit_record
from dugnad.rounds.models import Round
from dugnad.rounds.vocab import RoundState, SubmissionState


@dataclass
class ReminderResult:
    """What a reminder run did: e-mails sent, units reminded and units without an editor e-mail address."""

    sent: int = 0
    units: list[str] = field(default_factory=list)
    without_address: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI."""
        values = {"sent": self.sent, "units": len(self.units), "missing": len(self.without_address)}
        if self.without_address:
            return _("Sendte %(sent)s påminnelser til %(units)s enheter; %(missing)s enheter uten e-postadresse.") % values
        return _("Sendte %(sent)s påminnelser til %(units)s enheter.") % values


@dataclass
class Reminder:
    """One reminder e-mail as it will be sent: the unit, its editors' addresses, subject and body."""

    unit_code: str
    unit_name: str
    state: str
    addresses: list[str]
    subject: str
    body: str


@dataclass
class ReminderPreview:
    """The reminders a round would send now, and the pending units without an editor e-mail address."""

    round_open: bool = False
    reminders: list[Reminder] = field(default_factory=list)
    without_address: list[str] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return len(self.reminders) + len(self.without_address)


def round_reminders(*, round_: Round, today: dt.date | None = None) -> ReminderPreview:
    """The reminder e-mails for every municipal editor of a unit whose submission is a draft or returned.

    Closed rounds have none. This is what ``round_remind`` sends, and what the web shows as a preview.
    """
    preview = ReminderPreview()
    round_ = Round.objects.get(pk=round_.pk)
    if round_.state != RoundState.OPEN:
        return preview
    preview.round_open = True
    today = today or dt.date.today()
    days = (round_.deadline - today).days
    when = (_("om %(days)s dager") % {"days": days} if days > 1
            else (_("i morgen") if days == 1 else (_("i dag") if days == 0 else _("allerede passert"))))
    pending = (round_.submissions.filter(state__in=[SubmissionState.DRAFT, SubmissionState.RETURNED])
               .exclude(unit__level__rank=0)  # KS's own national chapters need no reminder
               .select_related("unit").order_by("unit__code"))
    editors: dict[int, list[str]] = {}
    writers = Membership.objects.filter(unit__in=[s.unit_id for s in pending],
                                        role__in=(Role.MUNICIPAL_EDITOR, Role.COUNTY_EDITOR))
    for m in writers.select_related("user"):
        if m.user.email:
            editors.setdefault(m.unit_id, []).append(m.user.email)
    for sub in pending:
        addresses = editors.get(sub.unit_id, [])
        if not addresses:
            preview.without_address.append(sub.unit.code)
            continue
        deadline = f"{round_.deadline:%d.%m.%Y}"
        subject = _("Påminnelse: %(round)s – frist %(deadline)s") % {"round": round_.title, "deadline": deadline}
        body = _("Hei!\n\nInnleveringen for %(unit)s i «%(round)s» er %(state)s. Fristen er %(deadline)s (%(when)s)."
                 "\n\nHilsen Dugnad\n") % {"unit": sub.unit.name, "round": round_.title,
                                           "state": sub.get_state_display().lower(), "deadline": deadline, "when": when}
        preview.reminders.append(Reminder(sub.unit.code, sub.unit.name, sub.state, sorted(addresses), subject, body))
    return preview


def round_remind(*, round_: Round, user=None, today: dt.date | None = None) -> ReminderResult:
    """E-mail every municipal editor of a unit whose submission is a draft or returned (open rounds only).

    A signed-in ``user`` must coordinate the round; the CLI (operator on the server) passes no user.
    """
    if user is not None and not can_manage_round(user, round_):
        raise PermissionDenied(_("Du kan ikke sende påminnelser for denne runden."))
    result = ReminderResult()
    preview = round_reminders(round_=round_, today=today)
    if not preview.round_open:
        return result
    messages = [(r.subject, r.body, settings.DEFAULT_FROM_EMAIL, r.addresses) for r in preview.reminders]
    result.units = [r.unit_code for r in preview.reminders]
    result.without_address = preview.without_address
    result.sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    audit_record(user=user, action="round_remind", object_type="round", object_key=str(round_.pk), round_=round_,
                 after={"sent": result.sent, "units": result.units, "without_address": result.without_address})
    return result
