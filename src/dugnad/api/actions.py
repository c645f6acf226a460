"""API of joint actions: list, read, create, each partner's own part, status, the catalogue, agreements, a unit's actions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from dugnad.actions.agreements import commitment_status_set
from dugnad.actions.effects import action_effects
from dugnad.actions.models import Action, ActionPartner
from dugnad.actions.permissions import can_view_action, units_acting_for
from dugnad.actions.selectors import (
    action_detail,
    action_get,
    action_partner_get,
    actions_of_unit,
    actions_visible,
    agreements_with_details,
    commitment_get,
    milestone_get,
    participant_get,
    template_get,
    templates_by_target,
)
from dugnad.actions.services import (
    PartnerSpec,
    action_create,
    action_from_template,
    action_part_update,
    action_status_set,
    milestone_add,
    milestone_complete,
)
from dugnad.analytics.effects import effect_record
from dugnad.api.schemas import ErrorOut, Id, ShortText, Text, found
from dugnad.catalogue.selectors import indicators_by_ids, targets_by_codes
from dugnad.units.selectors import unit_current

router = Router(tags=["actions"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Percent = Annotated[int, Field(ge=0, le=100)]
Share = Annotated[float, Field(ge=0, le=100)]
Code = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.\-]{1,20}$")]
StatusCode = Annotated[str, StringConstraints(pattern=r"^(idea|planned|ongoing|completed|cancelled)$")]
RoleCode = Annotated[str, StringConstraints(pattern=r"^(partner|funder)$")]
DirectionCode = Annotated[str, StringConstraints(pattern=r"^(up|down|hold)$")]


class PartOut(Schema):
    """One party's part in an action."""

    id: int
    party: str
    name: str
    role: str
    budget_share: float | None
    contribution: str
    progress: int
    note: str


class IndicatorLinkOut(Schema):
    """An indicator the action should move, and which way."""

    indicator_id: int
    code: str
    direction: str


class ActionOut(Schema):
    """An action with its parts."""

    id: int
    title: str
    description: str
    status: str
    progress: int
    start: dt.date | None
    end: dt.date | None
    visibility: str
    targets: list[str]
    indicators: list[IndicatorLinkOut]
    parts: list[PartOut]
    is_demo: bool


class MilestoneOut(Schema):
    """A milestone of an action."""

    title: str
    due: dt.date
    done_on: dt.date | None
    party: str | None


class UpdateOut(Schema):
    """One entry of an action's log."""

    at: dt.datetime
    party: str | None
    status: str
    progress: int
    text: str
    author: str | None


class ActionDetailOut(ActionOut):
    """An action with milestones, log and links."""

    milestones: list[MilestoneOut]
    updates: list[UpdateOut]
    links: list[dict]


class PartnerIn(Schema):
    """A partner of a new action: a unit code or an organisation id."""

    unit: Code | None = None
    organisation_id: Id | None = None
    role: RoleCode = "partner"
    budget_share: Share | None = None
    contribution: ShortText = ""


class IndicatorIn(Schema):
    """An indicator the action should move."""

    indicator_id: Id
    direction: DirectionCode = "up"


class ActionIn(Schema):
    """A new action led by a unit you act for."""

    title: ShortText
    lead_unit: Code
    description: Text = ""
    status: StatusCode = "planned"
    start: dt.date | None = None
    end: dt.date | None = None
    targets: list[Code] = []
    indicators: list[IndicatorIn] = []
    partners: list[PartnerIn] = []
    lead_budget_share: Share | None = None
    visibility: Annotated[str, StringConstraints(pattern=r"^(public|partners)$")] = "public"


class PartIn(Schema):
    """A partner's own progress and note."""

    progress: Percent
    note: Text = ""


class StatusIn(Schema):
    """A new status for the action, with a log text."""

    status: StatusCode
    text: Text = ""


class MilestoneIn(Schema):
    """A new milestone, optionally owned by one part of the action."""

    title: ShortText
    due: dt.date
    part_id: Id | None = None


class FollowUpIn(Schema):
    """A commitment's follow-up status."""

    status: Annotated[str, StringConstraints(pattern=r"^(not_started|on_track|delayed|fulfilled|ended)$")]


class UnitActionOut(Schema):
    """An action seen from one unit: its role and own progress."""

    id: int
    title: str
    role: str
    status: str
    progress: int
    own_progress: int


class TemplateOut(Schema):
    """A catalogue template."""

    id: int
    target: str
    title: str
    description: str
    indicators: list[str]
    suggested_partners: str


class CopyIn(Schema):
    """The unit whose plan a template is copied into."""

    unit: Code


def part_out(p: ActionPartner) -> dict:
    """A part as the API shows it."""
    return {"id": p.pk, "party": p.party_code, "name": p.party_name, "role": p.role,
            "budget_share": float(p.budget_share) if p.budget_share is not None else None,
            "contribution": p.contribution, "progress": p.progress, "note": p.note}


def action_out(a: Action) -> dict:
    """An action as the API shows it."""
    return {"id": a.pk, "title": a.title, "description": a.description, "status": a.status, "progress": a.progress,
            "start": a.start, "end": a.end, "visibility": a.visibility, "targets": sorted(t.code for t in a.targets.all()),
            "indicators": [{"indicator_id": link.indicator_id, "code": link.indicator.code, "direction": link.direction}
                           for link in a.indicator_links.all()],
            "parts": [part_out(p) for p in a.partners.all()], "is_demo": a.is_demo}


def _visible(request, action_id: int) -> Action:
    action = action_detail(action_id)
    if not can_view_action(request.user, action):
        raise PermissionDenied(_("Du har ikke tilgang til dette tiltaket."))
    return action


@router.get("", response=list[ActionOut], summary="Actions you can see")
def actions_list(request, status: StatusCode | None = None, target: Code | None = None):
    """Every action you can see (optionally of one status, or towards one SDG target code)."""
    return [action_out(a) for a in actions_visible(request.user, status=status or "", target=target or "").order_by("pk")]


@router.post("", response={201: ActionOut, **ERRORS}, summary="Create an action")
def actions_create(request, payload: ActionIn):
    """Create an action led by a unit you act for, with partners at any level and organisations."""
    lead = found(unit_current(payload.lead_unit), "Ukjent enhet.")
    partners = []
    for p in payload.partners:
        unit = found(participant_get(unit=p.unit), "Ukjent enhet.") if p.unit else None
        org = found(participant_get(organisation=p.organisation_id), "Ukjent organisasjon.") if p.organisation_id else None
        partners.append(PartnerSpec(unit=unit, organisation=org, role=p.role, budget_share=p.budget_share,
                                    contribution=p.contribution))
    known_targets = {t.code: t for t in targets_by_codes(payload.targets)}
    targets = [found(known_targets.get(c), "Ukjent delmål.") for c in payload.targets]
    known_indicators = {i.pk: i for i in indicators_by_ids(i.indicator_id for i in payload.indicators)}
    indicators = [(found(known_indicators.get(i.indicator_id), "Ukjent indikator."), i.direction) for i in payload.indicators]
    action = action_create(user=request.user, title=payload.title, lead_unit=lead, description=payload.description,
                           status=payload.status, start=payload.start, end=payload.end, targets=targets, indicators=indicators,
                           partners=partners, lead_budget_share=payload.lead_budget_share, visibility=payload.visibility)
    return Status(201, action_out(action_detail(action.pk)))


@router.get("/templates", response=list[TemplateOut], summary="The action catalogue")
def templates_list(request, goal: Annotated[int, Field(ge=1, le=17)] | None = None):
    """Recommended actions per SDG target (of one goal, when given)."""
    return [{"id": t.pk, "target": t.target.code, "title": t.title, "description": t.description,
             "indicators": [i.code for i in t.indicators.all()], "suggested_partners": t.suggested_partners}
            for t in templates_by_target(goal=goal)]


@router.post("/templates/{template_id}/copy", response={201: ActionOut, **ERRORS}, summary="Copy a template into my plan")
def templates_copy(request, payload: CopyIn, template_id: Id = Path(...)):
    """Create an idea-stage action for a unit you act for from a catalogue template."""
    template = found(template_get(template_id), "Malen finnes ikke.")
    unit = units_acting_for(request.user).filter(code=payload.unit).first()
    if unit is None:
        raise PermissionDenied(_("Du representerer ikke denne enheten."))
    action = action_from_template(user=request.user, template=template, unit=unit)
    return Status(201, action_out(action_detail(action.pk)))


@router.get("/agreements", response=list[dict], summary="Cooperation agreements")
def agreements_list(request):
    """Agreements with parties, commitments (with follow-up status) and linked action ids."""
    return [{"id": a.pk, "title": a.title, "status": a.status, "signed_on": a.signed_on,
             "parties": [p.party_name for p in a.parties.all()],
             "commitments": [{"party": c.party.party_name, "text": c.text, "due": c.due, "status": c.status}
                             for c in a.commitments.all()],
             "actions": [x.pk for x in a.actions.all()]} for a in agreements_with_details()]


@router.get("/units/{code}", response={200: list[UnitActionOut], **ERRORS}, summary="A unit's actions with its role")
def unit_actions(request, code: Code = Path(...)):
    """Every action you can see where the unit is lead, partner or funder."""
    unit = found(unit_current(code), "Ukjent enhet.")
    return [{"id": ua.action.pk, "title": ua.action.title, "role": ua.role, "status": ua.action.status,
             "progress": ua.action.progress, "own_progress": ua.part.progress} for ua in actions_of_unit(unit, user=request.user)]


@router.get("/{action_id}", response={200: ActionDetailOut, **ERRORS}, summary="One action")
def actions_read(request, action_id: Id = Path(...)):
    """An action you can see, with milestones, log and links."""
    a = _visible(request, action_id)
    return {**action_out(a),
            "milestones": [{"title": m.title, "due": m.due, "done_on": m.done_on,
                            "party": m.partner.party_code if m.partner else None} for m in a.milestones.all()],
            "updates": [{"at": u.created_at, "party": u.partner.party_code if u.partner else None, "status": u.status,
                         "progress": u.progress, "text": u.text, "author": u.author.username if u.author else None}
                        for u in a.updates.all()],
            "links": [{"title": x.title, "url": x.url, "kind": x.kind} for x in a.links.all()]}


class EffectOut(Schema):
    """The effect comparison of one indicator at one level of partner units (see docs/actions.md)."""

    indicator: str
    level: str
    expected: str
    partners: int
    partner_periods_before: int
    partner_periods_after: int
    partner_before: float | None
    partner_after: float | None
    partner_change: float | None
    comparison_units: int
    comparison_periods_before: int
    comparison_periods_after: int
    comparison_before: float | None
    comparison_after: float | None
    comparison_change: float | None
    did: float | None
    standard_error: float | None
    direction: str
    outcome: str
    reading: str
    caveats: list[str]
    units: list[dict]


class EffectsOut(Schema):
    """An action's effect follow-up, or why there is none (``reason``: no_start, no_indicators, no_units)."""

    action: int
    start: dt.date | None
    reason: str
    rows: list[EffectOut]


@router.get("/{action_id}/effect", response={200: EffectsOut, **ERRORS}, summary="Effect follow-up of an action")
def actions_effect(request, action_id: Id = Path(...)):
    """Each targeted indicator before and after the start, partners beside similar non-partner units: a simple
    difference-in-differences with how sure it can be and its caveats (never a proof of cause)."""
    effects = action_effects(_visible(request, action_id))
    rows = []
    for r in effects.rows:
        record = effect_record(r.comparison)
        rows.append({**record, "indicator": r.indicator.code, "level": r.level, "expected": r.expected,
                     "caveats": [c.value for c in r.comparison.caveats],
                     "units": [{"unit": u.unit, "name": r.names.get(u.unit, ""), "group": u.group.value,
                                "before": u.before, "after": u.after, "change": u.change,
                                "periods_before": list(u.periods_before), "periods_after": list(u.periods_after)}
                               for u in r.comparison.units]})
    return {"action": action_id, "start": effects.start, "reason": effects.reason, "rows": rows}


@router.post("/{action_id}/parts/{part_id}", response={200: PartOut, **ERRORS}, summary="Update your own part")
def parts_update(request, payload: PartIn, action_id: Id = Path(...), part_id: Id = Path(...)):
    """Record the progress and note of a part you act for (403 for another partner's part)."""
    part = found(action_partner_get(action_id=action_id, part_id=part_id), "Delen finnes ikke.")
    return part_out(action_part_update(user=request.user, partner=part, progress=payload.progress, note=payload.note))


@router.post("/{action_id}/status", response={200: ActionOut, **ERRORS}, summary="Change the status")
def actions_status(request, payload: StatusIn, action_id: Id = Path(...)):
    """Change the action's status (the lead only)."""
    action = found(action_get(action_id), "Tiltaket finnes ikke.")
    action_status_set(user=request.user, action=action, status=payload.status, text=payload.text)
    return action_out(action_detail(action.pk))


@router.post("/{action_id}/milestones", response={201: MilestoneOut, **ERRORS}, summary="Add a milestone")
def milestones_create(request, payload: MilestoneIn, action_id: Id = Path(...)):
    """Add a milestone (the lead only), optionally owned by one part."""
    action = found(action_get(action_id), "Tiltaket finnes ikke.")
    part = found(action_partner_get(action_id=action.pk, part_id=payload.part_id), "Delen finnes ikke.") \
        if payload.part_id else None
    m = milestone_add(user=request.user, action=action, title=payload.title, due=payload.due, partner=part)
    return Status(201, {"title": m.title, "due": m.due, "done_on": m.done_on, "party": part.party_code if part else None})


@router.post("/{action_id}/milestones/{milestone_id}/done", response={200: MilestoneOut, **ERRORS},
             summary="Complete a milestone")
def milestones_done(request, action_id: Id = Path(...), milestone_id: Id = Path(...)):
    """Mark a milestone done (the lead, or the party that owns it)."""
    m = found(milestone_get(action_id=action_id, milestone_id=milestone_id), "Milepælen finnes ikke.")
    m = milestone_complete(user=request.user, milestone=m)
    return {"title": m.title, "due": m.due, "done_on": m.done_on, "party": m.partner.party_code if m.partner else None}


@router.post("/agreements/commitments/{commitment_id}", response={200: dict, **ERRORS}, summary="Follow up a commitment")
def commitments_status(request, payload: FollowUpIn, commitment_id: Id = Path(...)):
    """Set the follow-up status of a commitment of a party you act for."""
    c = found(commitment_get(commitment_id), "Forpliktelsen finnes ikke.")
    c = commitment_status_set(user=request.user, commitment=c, status=payload.status)
    return {"id": c.pk, "status": c.status}
