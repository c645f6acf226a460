"""API of networks: list, create, workspace, shared gaps, invitations, joint actions and workspace documents."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from dugnad.actions.selectors import action_detail
from dugnad.api.actions import ActionOut, Code, DirectionCode, action_out
from dugnad.api.schemas import ErrorOut, Id, ShortText, Text, found
from dugnad.catalogue.selectors import indicators_by_ids
from dugnad.networks.models import Network
from dugnad.networks.permissions import can_view_workspace
from dugnad.networks.selectors import (
    invitation_get,
    mobilising_county,
    network_detail,
    network_get,
    network_shared_gaps,
    networks_listed,
)
from dugnad.networks.services import (
    county_invite,
    invitation_answer,
    network_action_propose,
    network_create,
    network_document_add,
    network_invite,
)
from dugnad.units.models import Unit
from dugnad.units.selectors import unit_current, units_current

router = Router(tags=["networks"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
KindCode = Annotated[str, StringConstraints(pattern=r"^(county|thematic)$")]


class NetworkOut(Schema):
    """A network with counts."""

    id: int
    name: str
    kind: str
    lead_unit: str | None
    members: int
    joint_actions: int


class MemberOut(Schema):
    """A member unit (code) or organisation."""

    unit: str | None
    organisation: str | None
    name: str


class DocumentOut(Schema):
    """A workspace document or meeting note."""

    kind: str
    title: str
    url: str
    body: str
    meeting_on: dt.date | None


class WorkspaceOut(Schema):
    """A network's workspace."""

    id: int
    name: str
    kind: str
    description: str
    lead_unit: str | None
    coordinators: list[str]
    members: list[MemberOut]
    indicators: list[str]
    actions: list[int]
    documents: list[DocumentOut]


class GapOut(Schema):
    """A shared gap among the members."""

    rank: int
    indicator_id: int
    indicator: str
    members: int
    red: int
    orange: int
    share: float
    population_affected: float
    units: list[str]


class NetworkIn(Schema):
    """A new network."""

    name: ShortText
    kind: KindCode
    lead_unit: Code
    description: Text = ""
    members: list[Code] = []
    indicator_ids: list[Id] = []


class InviteIn(Schema):
    """Units to invite."""

    units: list[Code]
    message: ShortText = ""


class AnswerIn(Schema):
    """An answer to an invitation."""

    accept: bool


class JointActionIn(Schema):
    """A joint action proposed in the network."""

    title: ShortText
    description: Text = ""
    partners: Annotated[list[Code], Field(min_length=1)]
    indicator_id: Id | None = None
    direction: DirectionCode = "up"


class DocumentIn(Schema):
    """A meeting note or a document link."""

    title: ShortText
    kind: Annotated[str, StringConstraints(pattern=r"^(document|meeting_note)$")] = "meeting_note"
    body: Text = ""
    url: ShortText = ""
    meeting_on: dt.date | None = None


def _workspace(request, network_id: int) -> Network:
    network = network_detail(network_id)
    if not can_view_workspace(request.user, network):
        raise PermissionDenied(_("Du har ikke tilgang til arbeidsrommet."))
    return network


def _units(codes: list[str]) -> list[Unit]:
    return [found(unit_current(c), "Ukjent enhet.") for c in codes]


@router.get("", response=list[NetworkOut], summary="Every network")
def networks_list(request):
    """Every network with member and joint-action counts."""
    return [{"id": n.pk, "name": n.name, "kind": n.kind, "lead_unit": n.lead_unit.code if n.lead_unit_id else None,
             "members": n.n_members, "joint_actions": n.n_actions} for n in networks_listed()]


@router.post("", response={201: WorkspaceOut, **ERRORS}, summary="Create a network")
def networks_create(request, payload: NetworkIn):
    """Start a network (county networks: your county; thematic: a unit you act for); you become coordinator."""
    lead = found(unit_current(payload.lead_unit), "Ukjent enhet.")
    network = network_create(user=request.user, name=payload.name, kind=payload.kind, lead_unit=lead,
                             description=payload.description, members=_units(payload.members),
                             indicators=indicators_by_ids(payload.indicator_ids))
    return Status(201, workspace_out(network_detail(network.pk)))


def workspace_out(n: Network) -> dict:
    """A network's workspace as the API shows it."""
    return {"id": n.pk, "name": n.name, "kind": n.kind, "description": n.description,
            "lead_unit": n.lead_unit.code if n.lead_unit_id else None,
            "coordinators": sorted(u.username for u in n.coordinators.all()),
            "members": [{"unit": m.unit.code if m.unit_id else None, "organisation": m.organisation.name if m.organisation_id
                         else None, "name": m.name} for m in n.members.all()],
            "indicators": [i.code for i in n.indicators.all()], "actions": sorted(a.pk for a in n.actions.all()),
            "documents": [{"kind": d.kind, "title": d.title, "url": d.url, "body": d.body, "meeting_on": d.meeting_on}
                          for d in n.documents.all()]}


@router.get("/{network_id}", response={200: WorkspaceOut, **ERRORS}, summary="A network's workspace")
def networks_read(request, network_id: Id = Path(...)):
    """Members, coordinators, indicator set, joint actions and documents (members, coordinators and those above)."""
    return workspace_out(_workspace(request, network_id))


@router.get("/{network_id}/gaps", response={200: list[GapOut], **ERRORS}, summary="Shared gaps")
def networks_gaps(request, network_id: Id = Path(...), min_share: Annotated[float, Field(gt=0, le=1)] = 0.5):
    """Indicators where at least ``min_share`` of the member units are red or orange in the latest score run."""
    network = _workspace(request, network_id)
    return [{"rank": g.gap.rank, "indicator_id": g.indicator.pk, "indicator": g.indicator.code, "members": g.gap.members,
             "red": g.gap.red, "orange": g.gap.orange, "share": g.gap.share, "population_affected": g.gap.population_affected,
             "units": list(g.gap.units)} for g in network_shared_gaps(network, min_share=min_share)]


@router.post("/{network_id}/invitations", response={201: list[int], **ERRORS}, summary="Invite units")
def networks_invite(request, payload: InviteIn, network_id: Id = Path(...)):
    """Invite units (coordinators only); returns the new invitation ids."""
    network = found(network_get(network_id), "Nettverket finnes ikke.")
    sent = network_invite(user=request.user, network=network, units=_units(payload.units), message=payload.message)
    return Status(201, [i.pk for i in sent])


@router.post("/invitations/{invitation_id}/answer", response={200: dict, **ERRORS}, summary="Answer an invitation")
def invitations_answer(request, payload: AnswerIn, invitation_id: Id = Path(...)):
    """Accept or decline an invitation for a unit you act for."""
    invitation = found(invitation_get(invitation_id), "Invitasjonen finnes ikke.")
    invitation = invitation_answer(user=request.user, invitation=invitation, accept=payload.accept)
    return {"id": invitation.pk, "state": invitation.state}


@router.post("/{network_id}/actions", response={201: ActionOut, **ERRORS}, summary="Propose a joint action")
def networks_action(request, payload: JointActionIn, network_id: Id = Path(...)):
    """A joint action led by the network's lead unit with member units as partners (coordinators only)."""
    network = found(network_get(network_id), "Nettverket finnes ikke.")
    indicators = [found(next(iter(indicators_by_ids([payload.indicator_id])), None), "Ukjent indikator.")] \
        if payload.indicator_id else []
    action = network_action_propose(user=request.user, network=network, title=payload.title,
                                    description=payload.description, partner_units=_units(payload.partners),
                                    targets=[t for i in indicators for t in i.targets.all()],
                                    indicators=[(i, payload.direction) for i in indicators])
    return Status(201, action_out(action_detail(action.pk)))


@router.post("/{network_id}/documents", response={201: DocumentOut, **ERRORS}, summary="Add a note or document")
def networks_document(request, payload: DocumentIn, network_id: Id = Path(...)):
    """Add a meeting note or document link (coordinators and members' people)."""
    network = found(network_get(network_id), "Nettverket finnes ikke.")
    d = network_document_add(user=request.user, network=network, title=payload.title, kind=payload.kind, body=payload.body,
                             url=payload.url, meeting_on=payload.meeting_on)
    return Status(201, {"kind": d.kind, "title": d.title, "url": d.url, "body": d.body, "meeting_on": d.meeting_on})


class FunnelOut(Schema):
    """One municipality in its county's mobilisation funnel."""

    unit: str
    name: str
    stage: str = Field(description="none, invited, in_network, submitted, vlr_published, action_partner, target_set")
    stage_label: str
    since: dt.date | None
    days: int | None
    stalled: bool
    next_steps: list[str]
    invited_on: dt.date | None
    invited_to: str
    invite_to: str = Field(description="The county network a one-click invitation would invite to ('' if none).")


class CountyInviteOut(Schema):
    """A one-click invitation from the funnel."""

    invitation: int
    network: str
    emails_sent: int


def _county(request, code: str) -> Unit:
    return found(mobilising_county(request.user, code), "Fylket finnes ikke.")


@router.get("/mobilisation/{code}", response={200: list[FunnelOut], **ERRORS}, summary="A county's mobilisation funnel")
def mobilisation_funnel(request, code: Code = Path(...)):
    """Every current municipality of the county: furthest stage, since when, stalled, suggested next steps."""
    from dugnad.publications.mobilisation import county_funnel

    return [{"unit": e.unit.code, "name": e.unit.name, "stage": e.stage, "stage_label": e.stage_label,
             "since": e.since, "days": e.days, "stalled": e.stalled, "next_steps": [str(s) for s in e.next_steps],
             "invited_on": e.invited_on, "invited_to": e.invited_to, "invite_to": e.invite_to}
            for e in county_funnel(_county(request, code))]


@router.post("/mobilisation/{code}/{unit_code}/invite", response={201: CountyInviteOut, **ERRORS},
             summary="Invite a municipality from the funnel")
def mobilisation_invite(request, code: Code = Path(...), unit_code: Code = Path(...)):
    """One click: the municipality is invited to the county's first network open to it; its editors get an e-mail.
    Only the county's coordinator (and administrators); 422 when no county network is open to it."""
    county = _county(request, code)
    unit = found(units_current(levels=("municipality",), codes=[unit_code]).first(), "Kommunen finnes ikke.")
    done = county_invite(user=request.user, county=county, unit=unit)
    return Status(201, {"invitation": done.invitation.pk, "network": done.invitation.network.name,
                        "emails_sent": done.sent})
