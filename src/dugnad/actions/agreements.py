"""Writes of cooperation agreements: create with parties and commitments, follow-up status, linked actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import ROUND_OPENER_ROLES, is_administrator, memberships_of
from dugnad.actions.models import Action, Agreement, AgreementParty, Commitment, Organisation
from dugnad.actions.permissions import can_act_for, can_view_action
from dugnad.actions.vocab import FollowUpStatus
from dugnad.analytics.report import InputError, ValidationReport


@dataclass(frozen=True)
class CommitmentSpec:
    """One commitment: the index of the party in the parties list, the promise and its due date.

    In ``agreement_update`` ``pk`` names an existing commitment to change (None: a new one) and ``status``
    its follow-up status (None: unchanged, or not started for a new one).
    """

    party: int
    text: str
    due: dt.date | None = None
    pk: int | None = None
    status: str | None = None


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
    _check_representation(user, parties)
    _validate(title, parties, commitments, signed_on=signed_on, valid_to=valid_to)
    agreement = Agreement.objects.create(title=title.strip(), description=description, signed_on=signed_on,
                                         valid_to=valid_to, is_demo=is_demo)
    rows = [AgreementParty.objects.create(agreement=agreement, organisation=p) if isinstance(p, Organisation)
            else AgreementParty.objects.create(agreement=agreement, unit=p) for p in parties]
    for c in commitments:
        Commitment.objects.create(agreement=agreement, party=rows[c.party], text=c.text.strip(), due=c.due,
                                  status=c.status or FollowUpStatus.NOT_STARTED)
    agreement.actions.set(list(actions))
    return agreement


def _check_representation(user, parties: list) -> None:
    units = [p for p in parties if not isinstance(p, Organisation)]
    if not is_administrator(user) and not any(can_act_for(user, u) for u in units):
        raise PermissionDenied(_("Du må representere en av partene i avtalen."))


def _party_key(party) -> str:
    return f"org:{party.pk}" if isinstance(party, Organisation) else f"unit:{party.pk}"


def _validate(title: str, parties: list, commitments: list[CommitmentSpec], *, signed_on=None, valid_to=None,
              status: str | None = None, known_commitments: Iterable[int] = ()) -> None:
    """Raise ``InputError`` with every problem of an agreement's fields, parties and commitments."""
    report = ValidationReport(source="avtale")
    if not (title or "").strip():
        report.add(_("Tittel mangler."), column="title")
    if len(parties) < 2:
        report.add(_("En avtale trenger minst to parter."), column="parties")
    keys = [_party_key(p) for p in parties]
    for row, key in enumerate(keys, start=1):
        if key in keys[:row - 1]:
            report.add(_("Parten står to ganger."), row=row, column="parties", value=key)
    if signed_on and valid_to and valid_to < signed_on:
        report.add(_("Avtalen gjelder til en dato før den er inngått."), column="valid_to", value=str(valid_to))
    if status is not None and status not in FollowUpStatus.values:
        report.add(_("Ukjent status."), column="status", value=str(status))
    known = set(known_commitments)
    for row, c in enumerate(commitments, start=1):
        if not 0 <= c.party < len(parties):
            report.add(_("Forpliktelsen viser til en part som ikke finnes."), row=row, column="party", value=str(c.party))
        if not c.text.strip():
            report.add(_("Forpliktelsen mangler tekst."), row=row, column="text")
        if c.status is not None and c.status not in FollowUpStatus.values:
            report.add(_("Ukjent status."), row=row, column="commitment_status", value=str(c.status))
        if c.pk is not None and c.pk not in known:
            report.add(_("Forpliktelsen hører ikke til avtalen."), row=row, column="commitment", value=str(c.pk))
    if not report.ok:
        raise InputError(report)


@transaction.atomic
def agreement_update(
    *, user, agreement: Agreement, title: str, parties: Iterable[object | Organisation],
    commitments: Iterable[CommitmentSpec] = (), description: str = "", signed_on: dt.date | None = None,
    valid_to: dt.date | None = None, status: str | None = None, actions: Iterable[Action] | None = None,
) -> Agreement:
    """Change an agreement: its fields, its parties and its commitments (all or nothing).

    Parties not listed are removed with their commitments; commitments with a ``pk`` are changed, those
    without are added, and existing ones not listed are removed. The user must be allowed to manage the
    agreement now and must still represent one of its unit parties afterwards (administrators always).
    """
    if not can_manage_agreement(user, agreement):
        raise PermissionDenied(_("Du kan ikke endre denne avtalen."))
    parties, commitments = list(parties), list(commitments)
    _check_representation(user, parties)
    existing = {c.pk: c for c in agreement.commitments.all()}
    _validate(title, parties, commitments, signed_on=signed_on, valid_to=valid_to, status=status,
              known_commitments=existing)
    agreement.title, agreement.description = title.strip(), description
    agreement.signed_on, agreement.valid_to = signed_on, valid_to
    if status is not None:
        agreement.status = status
    agreement.save()
    rows = {(f"unit:{r.unit_id}" if r.unit_id else f"org:{r.organisation_id}"): r for r in agreement.parties.all()}
    wanted = []
    for party in parties:
        row = rows.pop(_party_key(party), None)
        if row is None:
            row = (AgreementParty.objects.create(agreement=agreement, organisation=party) if isinstance(party, Organisation)
                   else AgreementParty.objects.create(agreement=agreement, unit=party))
        wanted.append(row)
    kept = {c.pk for c in commitments if c.pk is not None}
    Commitment.objects.filter(agreement=agreement).exclude(pk__in=kept).delete()
    for c in commitments:
        if c.pk is None:
            Commitment.objects.create(agreement=agreement, party=wanted[c.party], text=c.text.strip(), due=c.due,
                                      status=c.status or FollowUpStatus.NOT_STARTED)
        else:
            item = existing[c.pk]
            item.party, item.text, item.due = wanted[c.party], c.text.strip(), c.due
            item.status = c.status or item.status
            item.save()
    for row in rows.values():  # after the commitments have moved to the parties that stay
        row.delete()
    if actions is not None:
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
        raise PermissionDenied(_("Du kan bare følge opp egne forpliktelser."))
    if status not in FollowUpStatus.values:
        report = ValidationReport(source="forpliktelse")
        report.add(_("Ukjent status."), column="status", value=str(status))
        raise InputError(report)
    commitment.status = status
    commitment.save(update_fields=["status"])
    return commitment


@transaction.atomic
def agreement_status_set(*, user, agreement: Agreement, status: str) -> Agreement:
    """Set the agreement's overall follow-up status."""
    if not can_manage_agreement(user, agreement):
        raise PermissionDenied(_("Du kan ikke endre denne avtalen."))
    if status not in FollowUpStatus.values:
        report = ValidationReport(source="avtale")
        report.add(_("Ukjent status."), column="status", value=str(status))
        raise InputError(report)
    agreement.status = status
    agreement.save(update_fields=["status"])
    return agreement


def can_link_actions(user, agreement: Agreement) -> bool:
    """Whether the user may attach actions to an agreement or detach them: a coordinator (county or national)
    of one of its unit parties, or an administrator. Municipal editors, readers and organisations may not."""
    if is_administrator(user):
        return True
    parties = {p.unit_id for p in agreement.parties.all() if p.unit_id}
    return any(m.role in ROUND_OPENER_ROLES and m.unit_id in parties for m in memberships_of(user))


def _lock_for_linking(user, agreement: Agreement) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not can_link_actions(user, agreement):
        raise PermissionDenied(_("Bare koordinatorer for en av partene kan knytte tiltak til avtalen."))
    return agreement


@transaction.atomic
def agreement_action_link(*, user, agreement: Agreement, action: Action) -> Agreement:
    """Attach an action the user may see to the agreement (see ``can_link_actions``); attaching it again changes nothing."""
    agreement = _lock_for_linking(user, agreement)
    if not can_view_action(user, action):
        raise PermissionDenied(_("Du har ikke tilgang til dette tiltaket."))
    agreement.actions.add(action)
    return agreement


@transaction.atomic
def agreement_action_unlink(*, user, agreement: Agreement, action: Action) -> Agreement:
    """Detach an action from the agreement (see ``can_link_actions``); the action itself is not changed."""
    agreement = _lock_for_linking(user, agreement)
    agreement.actions.remove(action)
    return agreement
