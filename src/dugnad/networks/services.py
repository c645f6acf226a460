"""Writes of networks: create, invite, answer, add members, workspace documents and joint actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dugnad.actions.models import Action, Organisation
from dugnad.actions.services import PartnerSpec, action_create
from dugnad.actions.vocab import ActionStatus, PartnerRole
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.networks.models import Invitation, Network, NetworkDocument, NetworkMember
from dugnad.networks.permissions import can_answer_invitation, can_coordinate, can_create_network, can_write_workspace
from dugnad.networks.vocab import InvitationState, NetworkDocumentKind, NetworkKind


@transaction.atomic
def network_create(
    *, user, name: str, kind: str, lead_unit=None, description: str = "", indicators: Iterable = (),
    members: Iterable = (), is_demo: bool = False,
) -> Network:
    """Start a network led by ``lead_unit``; the creator becomes coordinator and ``members`` join at once."""
    if not can_create_network(user, kind=kind, lead_unit=lead_unit):
        raise PermissionDenied("Du kan ikke opprette nettverk for denne enheten.")
    report = ValidationReport(source="nettverk")
    if not (name or "").strip():
        report.add("Navn mangler.", column="name")
    elif Network.objects.filter(name=name.strip()).exists():
        report.add("Det finnes allerede et nettverk med dette navnet.", column="name", value=name)
    if kind not in NetworkKind.values:
        report.add("Ukjent type nettverk.", column="kind", value=str(kind))
    elif NetworkKind(kind).needs_lead_unit and (lead_unit is None or lead_unit.level.code != "county"):
        report.add("Et fylkesnettverk ledes av et fylke.", column="lead_unit")
    if not report.ok:
        raise InputError(report)
    network = Network.objects.create(name=name.strip(), kind=kind, lead_unit=lead_unit, description=description,
                                     created_by=user, is_demo=is_demo)
    network.coordinators.add(user)
    network.indicators.set(list(indicators))
    for member in members:
        _member_add(network, member)
    return network


def _member_add(network: Network, party) -> NetworkMember:
    field = "organisation" if isinstance(party, Organisation) else "unit"
    member, _ = NetworkMember.objects.get_or_create(network=network, **{field: party})
    return member


@transaction.atomic
def network_members_add(*, user, network: Network, parties: Iterable) -> list[NetworkMember]:
    """Add units or organisations directly (coordinators only; use invitations to ask units first)."""
    if not can_coordinate(user, network):
        raise PermissionDenied("Bare koordinatorene kan legge til medlemmer.")
    return [_member_add(network, p) for p in parties]


@transaction.atomic
def network_coordinator_add(*, user, network: Network, coordinator) -> Network:
    """Make another user a coordinator (coordinators only)."""
    if not can_coordinate(user, network):
        raise PermissionDenied("Bare koordinatorene kan legge til koordinatorer.")
    network.coordinators.add(coordinator)
    return network


@transaction.atomic
def network_invite(*, user, network: Network, units: Iterable, message: str = "") -> list[Invitation]:
    """Invite units to join (coordinators only); members and units with a pending invitation are skipped."""
    if not can_coordinate(user, network):
        raise PermissionDenied("Bare koordinatorene kan invitere.")
    members = set(network.members.exclude(unit=None).values_list("unit_id", flat=True))
    pending = set(network.invitations.filter(state=InvitationState.PENDING).values_list("unit_id", flat=True))
    out = []
    for unit in units:
        if unit.pk in members or unit.pk in pending:
            continue
        out.append(Invitation.objects.create(network=network, unit=unit, message=message, invited_by=user))
        pending.add(unit.pk)
    return out


@transaction.atomic
def invitation_answer(*, user, invitation: Invitation, accept: bool) -> Invitation:
    """Accept (the unit joins) or decline an invitation, as someone acting for the invited unit."""
    if not can_answer_invitation(user, invitation):
        raise PermissionDenied("Du kan ikke svare på denne invitasjonen.")
    if invitation.state != InvitationState.PENDING:
        report = ValidationReport(source="invitasjon")
        report.add("Invitasjonen er allerede besvart.", column="state", value=invitation.state)
        raise InputError(report)
    invitation.state = InvitationState.ACCEPTED if accept else InvitationState.DECLINED
    invitation.responded_by, invitation.responded_at = user, timezone.now()
    invitation.save(update_fields=["state", "responded_by", "responded_at"])
    if accept:
        _member_add(invitation.network, invitation.unit or invitation.organisation)
    return invitation


@transaction.atomic
def network_document_add(*, user, network: Network, title: str, kind: str = NetworkDocumentKind.MEETING_NOTE, body: str = "",
                         url: str = "", meeting_on: dt.date | None = None) -> NetworkDocument:
    """Add a document link or a meeting note to the workspace (coordinators and member units' people)."""
    if not can_write_workspace(user, network):
        raise PermissionDenied("Bare koordinatorer og medlemmer kan skrive i arbeidsrommet.")
    report = ValidationReport(source="arbeidsrom")
    if not (title or "").strip():
        report.add("Tittel mangler.", column="title")
    if kind not in NetworkDocumentKind.values:
        report.add("Ukjent type.", column="kind", value=str(kind))
    if url and not url.startswith(("https://", "http://")):
        report.add("Adressen må begynne med https:// eller http://.", column="url", value=url)
    if kind == NetworkDocumentKind.DOCUMENT and not url:
        report.add("Et dokument trenger en adresse.", column="url")
    if not report.ok:
        raise InputError(report)
    return NetworkDocument.objects.create(network=network, kind=kind, title=title.strip(), body=body, url=url,
                                          meeting_on=meeting_on, author=user)


@transaction.atomic
def network_action_propose(
    *, user, network: Network, title: str, partner_units: Iterable, description: str = "", targets: Iterable = (),
    indicators: Iterable = (), start: dt.date | None = None, end: dt.date | None = None, is_demo: bool = False,
) -> Action:
    """Propose a joint action led by the network's lead unit with member units as partners, linked to the network."""
    if not can_coordinate(user, network):
        raise PermissionDenied("Bare koordinatorene kan foreslå felles tiltak.")
    partner_units = list(partner_units)
    members = set(network.members.exclude(unit=None).values_list("unit_id", flat=True))
    report = ValidationReport(source="felles tiltak")
    for row, unit in enumerate(partner_units, start=1):
        if unit.pk not in members:
            report.add("Enheten er ikke medlem av nettverket.", row=row, column="partners", value=unit.code)
    if not partner_units:
        report.add("Velg minst én medlemskommune som partner.", column="partners")
    if network.lead_unit is None:
        report.add("Nettverket har ingen ledende enhet som kan være ansvarlig.", column="lead_unit")
    if not report.ok:
        raise InputError(report)
    action = action_create(
        user=user, title=title, lead_unit=network.lead_unit, description=description, status=ActionStatus.PLANNED,
        start=start, end=end, targets=targets, indicators=[(i, d) for i, d in indicators],
        partners=[PartnerSpec(unit=u, role=PartnerRole.PARTNER) for u in partner_units if u.pk != network.lead_unit_id],
        is_demo=is_demo,
    )
    network.actions.add(action)
    return action
