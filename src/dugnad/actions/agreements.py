"""Writes of cooperation agreements: create with parties and commitments, follow-up status, linked actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dugnad.accounts.permissions import is_administrator
from dugnad.actions.models import Action, Agreement, AgreementParty, Commitment, Organisation
from dugnad.actions.permissions import can_act_for
from dugnad.actions.vocab import FollowUpStatus
from dugnad.analytics.report import InputError, ValidationReport


@dataclass(frozen=True)
class CommitmentSpec:
    """One commitment: the index of the party in the parties list, the promise and its due date."""

    party: int
    text: str
    due: dt.date | None = None


def can_manage_agreement(user, agreement: Agreement) -> bool:
    """Whether the user may change an agreement: someone acting for one of its unit parties, or an administrator."""
    if is_administrator(user):
        return True
    return any(p.unit_id and can_act_for(user, p.unit) for p in agreement.parties.select_related("unit"))


@transaction.atomic
def agreement_create(
    *, user, title: str, parties: Iterable[object | Organisation], commitments: Iterable[CommitmentSpec] = (),
    description: str = "", signed_on: dt.date | None = None, valid_to: dt.date | None = None,
    actions: Iterable[Action] = (), is_demo: bool = False,
) -> Agreement:
    """Record an agreement between units and organisations; the user must act for one of the unit parties."""
    parties, commitments = list(parties), list(commitments)
    units = [p for p in parties if not isinstance(p, Organisation)]
    if not is_administrator(user) and not any(can_act_for(user, u) for u in units):
        raise PermissionDenied("Du må representere en av partene i avtalen.")
    report = ValidationReport(source="avtale")
    if not (title or "").strip():
        report.add("Tittel mangler.", column="title")
    if len(parties) < 2:
        report.add("En avtale trenger minst to parter.", column="parties")
    for row, c in enumerate(commitments, start=1):
        if not 0 <= c.party < len(parties):
            report.add("Forpliktelsen viser til en part som ikke finnes.", row=row, column="party", value=str(c.party))
        if not c.text.strip():
            report.add("Forpliktelsen mangler tekst.", row=row, column="text")
    if not report.ok:
        raise InputError(report)
    agreement = Agreement.objects.create(title=title.strip(), description=description, signed_on=signed_on,
                                         valid_to=valid_to, is_demo=is_demo)
    rows = [AgreementParty.objects.create(agreement=agreement, organisation=p) if isinstance(p, Organisation)
            else AgreementParty.objects.create(agreement=agreement, unit=p) for p in parties]
    for c in commitments:
        Commitment.objects.create(agreement=agreement, party=rows[c.party], text=c.text.strip(), due=c.due)
    agreement.actions.set(list(actions))
    return agreement


def can_follow_up(user, commitment: Commitment) -> bool:
    """Whether the user may set a commitment's status: people acting for its party (organisation parties: any unit party)."""
    party = commitment.party
    return is_administrator(user) or (can_act_for(user, party.unit) if party.unit_id
                                      else can_manage_agreement(user, commitment.agreement))


@transaction.atomic
def commitment_status_set(*, user, commitment: Commitment, status: str) -> Commitment:
    """Set a commitment's follow-up status (see ``can_follow_up``)."""
    if not can_follow_up(user, commitment):
        raise PermissionDenied("Du kan bare følge opp egne forpliktelser.")
    if status not in FollowUpStatus.values:
        report = ValidationReport(source="forpliktelse")
        report.add("Ukjent status.", column="status", value=str(status))
        raise InputError(report)
    commitment.status = status
    commitment.save(update_fields=["status"])
    return commitment


@transaction.atomic
def agreement_status_set(*, user, agreement: Agreement, status: str) -> Agreement:
    """Set the agreement's overall follow-up status."""
    if not can_manage_agreement(user, agreement):
        raise PermissionDenied("Du kan ikke endre denne avtalen.")
    if status not in FollowUpStatus.values:
        report = ValidationReport(source="avtale")
        report.add("Ukjent status.", column="status", value=str(status))
        raise InputError(report)
    agreement.status = status
    agreement.save(update_fields=["status"])
    return agreement
