"""Writes of networks: create, invite, answer, add members, workspace documents and joint actions.

Every write that changes something records one audit entry on object ``network`` <id> (``_audit``): who, when,
the action (the service's name) and what changed; a call that changes nothing (every unit already a member or
invited) records none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.actions.models import Action, Organisation
from dugnad.actions.services import PartnerSpec, action_create
from dugnad.actions.vocab import ActionStatus, PartnerRole
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.networks.models import Invitation, Network, NetworkDocument, NetworkMember
from dugnad.networks.permissions import (
    can_answer_invitation,
    can_coordinate,
    can_create_network,
    can_mobilise,
    can_write_workspace,
)
from dugnad.networks.selectors import county_networks_open_to
from dugnad.networks.vocab import InvitationState, NetworkDocumentKind, NetworkKind
from dugnad.rounds.audit import audit_record


@transaction.atomic
def network_create(
    *, user, name: str, kind: str, lead_unit=None, description: str = "", indicators: Iterable = (),
    members: Iterable = (), is_demo: bool = False,
) -> Network:
    """Start a network led by ``lead_unit``; the creator becomes coordinator and ``members`` join at once."""
    if not can_create_network(user, kind=kind, lead_unit=lead_unit):
        raise PermissionDenied(_("Du kan ikke opprette nettverk for denne enheten."))
    report = ValidationReport(source="nettverk")
    if not (name or "").strip():
        report.add(_("Navn mangler."), column="name")
    elif Network.objects.filter(name=name.strip()).exists():
        report.add(_("Det finnes allerede et nettverk med dette navnet."), column="name", value=name)
    if kind not in NetworkKind.values:
        report.add(_("Ukjent type nettverk."), column="kind", value=str(kind))
    elif NetworkKind(kind).needs_lead_unit and (lead_unit is None or lead_unit.level.code != "county"):
        report.add(_("Et fylkesnettverk ledes av et fylke."), column="lead_unit")
    if not report.ok:
        raise InputError(report)
    network = Network.objects.create(name=name.strip(), kind=kind, lead_unit=lead_unit, description=description,
                                     created_by=user, is_demo=is_demo)
    network.coordinators.add(user)
    indicators = list(indicators)
    network.indicators.set(indicators)
    added = [party for party in members if _member_add(network, party)[1]]
    _audit(user, "network_create", network, name=network.name, kind=network.kind,
           lead_unit=lead_unit.code if lead_unit is not None else None, members=_party_keys(added),
           indicators=sorted(i.code for i in indicators))
    return network


def _member_add(network: Network, party) -> tuple[NetworkMember, bool]:
    """The unit's or organisation's membership of the network, and whether it was added now."""
    field = "organisation" if isinstance(party, Organisation) else "unit"
    return NetworkMember.objects.get_or_create(network=network, **{field: party})


def _party_keys(parties: Iterable) -> list[str]:
    """Units by code and organisations by name, as the audit log names members."""
    return [party.name if isinstance(party, Organisation) else party.code for party in parties]


def _audit(user, action: str, network: Network, /, **after) -> None:
    """One audit entry of a network write: ``action`` on object ``network`` <id>, ``after`` what changed."""
    audit_record(user=user, action=action, object_type="network", object_key=str(network.pk), after=after)


@transaction.atomic
def network_members_add(*, user, network: Network, parties: Iterable) -> list[NetworkMember]:
    """Add units or organisations directly (coordinators only; use invitations to ask units first)."""
    if not can_coordinate(user, network):
        raise PermissionDenied(_("Bare koordinatorene kan legge til medlemmer."))
    done = [(party, *_member_add(network, party)) for party in parties]
    added = [party for party, _member, created in done if created]
    if added:
        _audit(user, "network_members_add", network, members=_party_keys(added))
    return [member for _party, member, _created in done]


@transaction.atomic
def network_coordinator_add(*, user, network: Network, coordinator) -> Network:
    """Make another user a coordinator (coordinators only)."""
    if not can_coordinate(user, network):
        raise PermissionDenied(_("Bare koordinatorene kan legge til koordinatorer."))
    if not network.coordinators.filter(pk=coordinator.pk).exists():
        network.coordinators.add(coordinator)
        _audit(user, "network_coordinator_add", network, coordinator=coordinator.get_username())
    return network


@transaction.atomic
def network_invite(*, user, network: Network, units: Iterable, message: str = "") -> list[Invitation]:
    """Invite units to join (coordinators only); members and units with a pending invitation are skipped."""
    if not can_coordinate(user, network):
        raise PermissionDenied(_("Bare koordinatorene kan invitere."))
    members = set(network.members.exclude(unit=None).values_list("unit_id", flat=True))
    pending = set(network.invitations.filter(state=InvitationState.PENDING).values_list("unit_id", flat=True))
    out = []
    for unit in units:
        if unit.pk in members or unit.pk in pending:
            continue
        out.append(Invitation.objects.create(network=network, unit=unit, message=message, invited_by=user))
        pending.add(unit.pk)
    if out:
        _audit(user, "network_invite", network, units=[i.unit.code for i in out], invitations=[i.pk for i in out])
    return out


@transaction.atomic
def invitation_answer(*, user, invitation: Invitation, accept: bool) -> Invitation:
    """Accept (the unit joins) or decline an invitation, as someone acting for the invited unit."""
    if not can_answer_invitation(user, invitation):
        raise PermissionDenied(_("Du kan ikke svare på denne invitasjonen."))
    if invitation.state != InvitationState.PENDING:
        report = ValidationReport(source="invitasjon")
        report.add(_("Invitasjonen er allerede besvart."), column="state", value=invitation.state)
        raise InputError(report)
    invitation.state = InvitationState.ACCEPTED if accept else InvitationState.DECLINED
    invitation.responded_by, invitation.responded_at = user, timezone.now()
    invitation.save(update_fields=["state", "responded_by", "responded_at"])
    party = invitation.unit or invitation.organisation
    if accept:
        _member_add(invitation.network, party)
    _audit(user, "invitation_answer", invitation.network, invitation=invitation.pk, member=_party_keys([party])[0],
           state=invitation.state)
    return invitation


@transaction.atomic
def network_document_add(*, user, network: Network, title: str, kind: str = NetworkDocumentKind.MEETING_NOTE, body: str = "",
                         url: str = "", meeting_on: dt.date | None = None) -> NetworkDocument:
    """Add a document link or a meeting note to the workspace (coordinators and member units' people)."""
    if not can_write_workspace(user, network):
        raise PermissionDenied(_("Bare koordinatorer og medlemmer kan skrive i arbeidsrommet."))
    report = ValidationReport(source="arbeidsrom")
    if not (title or "").strip():
        report.add(_("Tittel mangler."), column="title")
    if kind not in NetworkDocumentKind.values:
        report.add(_("Ukjent type."), column="kind", value=str(kind))
    if url and not url.startswith(("https://", "http://")):
        report.add(_("Adressen må begynne med https:// eller http://."), column="url", value=url)
    if kind == NetworkDocumentKind.DOCUMENT and not url:
        report.add(_("Et dokument trenger en adresse."), column="url")
    if not report.ok:
        raise InputError(report)
    document = NetworkDocument.objects.create(network=network, kind=kind, title=title.strip(), body=body, url=url,
                                              meeting_on=meeting_on, author=user)
    _audit(user, "network_document_add", network, document=document.pk, kind=document.kind, title=document.title)
    return document


@transaction.atomic
def network_action_propose(
    *, user, network: Network, title: str, partner_units: Iterable, description: str = "", targets: Iterable = (),
    indicators: Iterable = (), start: dt.date | None = None, end: dt.date | None = None, is_demo: bool = False,
) -> Action:
    """Propose a joint action led by the network's lead unit with member units as partners, linked to the network."""
    if not can_coordinate(user, network):
        raise PermissionDenied(_("Bare koordinatorene kan foreslå felles tiltak."))
    partner_units = list(partner_units)
    members = set(network.members.exclude(unit=None).values_list("unit_id", flat=True))
    report = ValidationReport(source="felles tiltak")
    for row, unit in enumerate(partner_units, start=1):
        if unit.pk not in members:
            report.add(_("Enheten er ikke medlem av nettverket."), row=row, column="partners", value=unit.code)
    if not partner_units:
        report.add(_("Velg minst én medlemskommune som partner."), column="partners")
    if network.lead_unit is None:
        report.add(_("Nettverket har ingen ledende enhet som kan være ansvarlig."), column="lead_unit")
    if not report.ok:
        raise InputError(report)
    action = action_create(
        user=user, title=title, lead_unit=network.lead_unit, description=description, status=ActionStatus.PLANNED,
        start=start, end=end, targets=targets, indicators=[(i, d) for i, d in indicators],
        partners=[PartnerSpec(unit=u, role=PartnerRole.PARTNER) for u in partner_units if u.pk != network.lead_unit_id],
        is_demo=is_demo,
    )
    network.actions.add(action)
    _audit(user, "network_action_propose", network, action=action.pk, title=action.title,
           partners=_party_keys(partner_units))
    return action


@dataclass(frozen=True)
class CountyInvitation:
    """A one-click invitation from the mobilisation funnel: the invitation, and the e-mails sent about it."""

    invitation: Invitation
    sent: int
    addresses: tuple[str, ...]


def _editor_addresses(unit) -> list[str]:
    """E-mail addresses of the unit's editors (as round reminders reach them)."""
    return sorted({m.user.email for m in Membership.objects.filter(
        unit=unit, role__in=(Role.MUNICIPAL_EDITOR, Role.COUNTY_EDITOR)).select_related("user") if m.user.email})


@transaction.atomic
def county_invite(*, user, county, unit) -> CountyInvitation:
    """Invite a municipality of the county, in one click from the mobilisation funnel, to the first network the county
    leads (by name) that it is neither a member of nor invited to; its editors get an e-mail (as round reminders).

    Only the county's coordinator (and administrators) may; the invitation is recorded, so the funnel shows
    «invitert <dato>», and an audit entry ``county_invite`` says who invited which unit to which network, when.
    InputError when the unit is not one of the county's municipalities or no network is open to it.
    """
    if not can_mobilise(user, county):
        raise PermissionDenied(_("Bare fylkets koordinator kan invitere fylkets kommuner."))
    report = ValidationReport(source="invitasjon")
    if unit.parent_id != county.pk or unit.level.code != "municipality":
        report.add(_("%(unit)s er ikke en kommune i %(county)s.") % {"unit": unit.name, "county": county.name},
                   column="unit", value=unit.code)
        raise InputError(report)
    network = county_networks_open_to(county, [unit.pk])[unit.pk]
    if network is None:
        report.add(_("%(county)s leder ikke noe nettverk som %(unit)s ikke alt er med i eller invitert til. "
                     "Opprett et fylkesnettverk først.") % {"county": county.name, "unit": unit.name},
                   column="network", value=unit.code)
        raise InputError(report)
    invitation = Invitation.objects.create(network=network, unit=unit, invited_by=user,
                                           message=f"Invitasjon fra {county.name} via mobiliseringsoversikten.")
    addresses = _editor_addresses(unit)
    subject = f"Invitasjon: bli med i «{network.name}»"
    body = (f"Hei!\n\n{county.name} inviterer {unit.name} til å bli med i nettverket «{network.name}» i Dugnad. "
            "Logg inn og svar på invitasjonen under «Nettverk».\n\nHilsen Dugnad\n")
    sent = send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)], fail_silently=False) \
        if addresses else 0
    _audit(user, "county_invite", network, county=county.code, units=[unit.code], invitation=invitation.pk, sent=sent)
    return CountyInvitation(invitation, sent, tuple(addresses))
