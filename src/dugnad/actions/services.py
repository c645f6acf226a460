"""Writes of joint actions: create, partners, each partner's own part, milestones, links, templates, reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import is_administrator
from dugnad.actions.models import (
    Action,
    ActionIndicator,
    ActionLink,
    ActionPartner,
    ActionTemplate,
    Milestone,
    Organisation,
    StatusUpdate,
)
from dugnad.actions.permissions import can_act_for, can_manage_action, can_update_part
from dugnad.actions.vocab import ActionStatus, ExpectedDirection, LinkKind, PartnerRole, Visibility
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.catalogue.selectors import indicator_spec_in_force


@dataclass(frozen=True)
class PartnerSpec:
    """A party to add to an action: a unit or an organisation, with role, budget share and contribution."""

    unit: object | None = None
    organisation: Organisation | None = None
    role: str = PartnerRole.PARTNER
    budget_share: Decimal | float | None = None
    contribution: str = ""

    @property
    def key(self) -> str:
        """Identity of the party (to find duplicates)."""
        return f"unit:{self.unit.pk}" if self.unit is not None else f"org:{getattr(self.organisation, 'pk', None)}"


def _check_percent(report: ValidationReport, value, column: str, row: int | None = None) -> None:
    if value is None:
        return
    try:
        number = float(value)
    except (TypeError, ValueError):
        report.add(_("Må være et tall."), column=column, row=row, value=str(value))
        return
    if not 0 <= number <= 100:
        report.add(_("Må ligge mellom 0 og 100."), column=column, row=row, value=str(value))


def _validate_partners(report: ValidationReport, partners: list[PartnerSpec], existing: Iterable[ActionPartner] = ()) -> None:
    seen = {f"unit:{p.unit_id}" if p.unit_id else f"org:{p.organisation_id}" for p in existing}
    total = sum(float(p.budget_share or 0) for p in existing)
    for row, spec in enumerate(partners, start=1):
        if (spec.unit is None) == (spec.organisation is None):
            report.add(_("Oppgi enten en enhet eller en organisasjon."), row=row, column="partner")
            continue
        if spec.role not in PartnerRole.values:
            report.add(_("Ukjent rolle."), row=row, column="role", value=str(spec.role))
        if spec.key in seen:
            report.add(_("Parten er allerede med i tiltaket."), row=row, column="partner", value=spec.key)
        seen.add(spec.key)
        _check_percent(report, spec.budget_share, "budget_share", row)
        total += float(spec.budget_share or 0)
    if total > 100.0001:
        report.add(_("Budsjettandelene blir til sammen %(total)s %%, mer enn 100 %%.") % {"total": f"{total:g}"},
                   column="budget_share")


@transaction.atomic
def action_create(
    *, user, title: str, lead_unit=None, lead_organisation: Organisation | None = None, description: str = "",
    status: str = ActionStatus.PLANNED, start: dt.date | None = None, end: dt.date | None = None,
    targets: Iterable = (), indicators: Iterable[tuple[object, str]] = (), partners: Iterable[PartnerSpec] = (),
    lead_budget_share: float | None = None, visibility: str = Visibility.PUBLIC, template: ActionTemplate | None = None,
    is_demo: bool = False,
) -> Action:
    """Create an action led by a unit the user acts for (administrators: any unit or organisation), with its partners."""
    if lead_unit is not None and not can_act_for(user, lead_unit):
        raise PermissionDenied(_("Du kan ikke opprette tiltak for denne enheten."))
    if lead_unit is None and not is_administrator(user):
        raise PermissionDenied(_("Bare administratorer kan opprette tiltak med en organisasjon som ansvarlig."))
    partners = list(partners)
    indicators = list(indicators)
    report = ValidationReport(source="tiltak")
    if not (title or "").strip():
        report.add(_("Tittel mangler."), column="title")
    if status not in ActionStatus.values:
        report.add(_("Ukjent status."), column="status", value=str(status))
    if visibility not in Visibility.values:
        report.add(_("Ukjent synlighet."), column="visibility", value=str(visibility))
    if start and end and end < start:
        report.add(_("Sluttdato er før startdato."), column="end", value=str(end))
    seen_indicators = set()
    for row, (indicator, direction) in enumerate(indicators, start=1):
        if direction not in ExpectedDirection.values:
            report.add(_("Ukjent retning."), row=row, column="direction", value=str(direction))
        key = getattr(indicator, "pk", indicator)
        if key in seen_indicators:
            report.add(_("Indikatoren står to ganger."), row=row, column="indicator", value=str(getattr(indicator, "code", key)))
        seen_indicators.add(key)
    lead = PartnerSpec(unit=lead_unit, organisation=lead_organisation, role=PartnerRole.LEAD, budget_share=lead_budget_share)
    if any(p.role == PartnerRole.LEAD for p in partners):
        report.add(_("Et tiltak har bare én ansvarlig; de andre partene må være partner eller finansierer."), column="role")
    _validate_partners(report, [lead, *partners])
    if not report.ok:
        raise InputError(report)
    action = Action.objects.create(title=title.strip(), description=description, status=status, start=start, end=end,
                                   visibility=visibility, template=template, created_by=user, is_demo=is_demo)
    action.targets.set(list(targets))
    ActionIndicator.objects.bulk_create([ActionIndicator(action=action, indicator=i, direction=d) for i, d in indicators])
    for spec in [lead, *partners]:
        _partner_create(action, spec)
    StatusUpdate.objects.create(action=action, author=user, status=status, progress=0, text="Tiltaket er opprettet.")
    return action


def _partner_create(action: Action, spec: PartnerSpec) -> ActionPartner:
    return ActionPartner.objects.create(action=action, unit=spec.unit, organisation=spec.organisation, role=spec.role,
                                        budget_share=spec.budget_share, contribution=spec.contribution)


@transaction.atomic
def action_partners_add(*, user, action: Action, partners: Iterable[PartnerSpec]) -> list[ActionPartner]:
    """Add partners or funders to an action (the lead's people only)."""
    if not can_manage_action(user, action):
        raise PermissionDenied(_("Bare den ansvarlige kan legge til partnere."))
    partners = list(partners)
    report = ValidationReport(source="tiltak")
    if any(p.role == PartnerRole.LEAD for p in partners):
        report.add(_("Tiltaket har allerede en ansvarlig."), column="role")
    _validate_partners(report, partners, existing=list(action.partners.all()))
    if not report.ok:
        raise InputError(report)
    return [_partner_create(action, spec) for spec in partners]


def action_progress_recompute(action: Action) -> int:
    """Set the action's progress to the mean of its partners' progress, weighted by budget share when every part has one."""
    parts = list(action.partners.all())
    if not parts:
        return action.progress
    if all(p.budget_share for p in parts):
        total = sum(float(p.budget_share) for p in parts)
        value = sum(p.progress * float(p.budget_share) for p in parts) / total
    else:
        value = sum(p.progress for p in parts) / len(parts)
    action.progress = round(value)
    Action.objects.filter(pk=action.pk).update(progress=action.progress)
    return action.progress


@transaction.atomic
def action_part_update(*, user, partner: ActionPartner, progress: int, note: str = "") -> ActionPartner:
    """Record a partner's own progress and note (only people acting for that partner), and log it."""
    if not can_update_part(user, partner):
        raise PermissionDenied(_("Du kan bare oppdatere din egen del av tiltaket."))
    report = ValidationReport(source="tiltaksdel")
    _check_percent(report, progress, "progress")
    if not report.ok:
        raise InputError(report)
    partner = ActionPartner.objects.select_for_update().get(pk=partner.pk)
    partner.progress, partner.note, partner.updated_by = int(progress), note, user
    partner.save(update_fields=["progress", "note", "updated_by", "updated_at"])
    action = partner.action
    action_progress_recompute(action)
    StatusUpdate.objects.create(action=action, partner=partner, author=user, status=action.status,
                                progress=partner.progress, text=note)
    return partner


@transaction.atomic
def action_status_set(*, user, action: Action, status: str, text: str = "") -> Action:
    """Change the action's status (the lead's people only), and log it."""
    if not can_manage_action(user, action):
        raise PermissionDenied(_("Bare den ansvarlige kan endre status på tiltaket."))
    if status not in ActionStatus.values:
        report = ValidationReport(source="tiltak")
        report.add(_("Ukjent status."), column="status", value=str(status))
        raise InputError(report)
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    StatusUpdate.objects.create(action=action, author=user, status=status, progress=action.progress, text=text)
    return action


@transaction.atomic
def milestone_add(*, user, action: Action, title: str, due: dt.date, partner: ActionPartner | None = None) -> Milestone:
    """Add a milestone (the lead's people only), optionally owned by one partner."""
    if not can_manage_action(user, action):
        raise PermissionDenied(_("Bare den ansvarlige kan legge til milepæler."))
    report = ValidationReport(source="milepæl")
    if not (title or "").strip():
        report.add(_("Tittel mangler."), column="title")
    if due is None:
        report.add(_("Frist mangler."), column="due")
    if partner is not None and partner.action_id != action.pk:
        report.add(_("Parten hører ikke til dette tiltaket."), column="partner")
    if not report.ok:
        raise InputError(report)
    return Milestone.objects.create(action=action, title=title.strip(), due=due, partner=partner)


@transaction.atomic
def milestone_complete(*, user, milestone: Milestone, on: dt.date | None = None) -> Milestone:
    """Mark a milestone done (the lead's people, or the people of the partner that owns it)."""
    allowed = can_manage_action(user, milestone.action) or (
        milestone.partner is not None and can_update_part(user, milestone.partner))
    if not allowed:
        raise PermissionDenied(_("Du kan ikke avslutte denne milepælen."))
    milestone.done_on = on or dt.date.today()
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def action_link_add(*, user, action: Action, title: str, url: str, kind: str = LinkKind.LINK) -> ActionLink:
    """Attach a document or link (anyone acting for a party of the action)."""
    if not (can_manage_action(user, action) or any(can_update_part(user, p) for p in action.partners.all())):
        raise PermissionDenied(_("Bare partene i tiltaket kan legge til dokumenter."))
    report = ValidationReport(source="lenke")
    if not (title or "").strip():
        report.add(_("Tittel mangler."), column="title")
    if not str(url).startswith(("https://", "http://")):
        report.add(_("Adressen må begynne med https:// eller http://."), column="url", value=str(url))
    if kind not in LinkKind.values:
        report.add(_("Ukjent type."), column="kind", value=str(kind))
    if not report.ok:
        raise InputError(report)
    return ActionLink.objects.create(action=action, title=title.strip(), url=url, kind=kind, added_by=user)


@transaction.atomic
def action_from_template(*, user, template: ActionTemplate, unit, start: dt.date | None = None) -> Action:
    """Copy a catalogue template into the unit's plan: a new planned action led by the unit."""
    action = action_create(
        user=user, title=template.title, lead_unit=unit, description=template.description, status=ActionStatus.IDEA,
        start=start, targets=[template.target], indicators=[(i, expected_direction(i)) for i in template.indicators.all()],
        template=template,
    )
    return action


def expected_direction(indicator) -> str:
    """Up for indicators where higher is better, down where lower is better (from the spec in force)."""
    spec = indicator_spec_in_force(indicator)
    return ExpectedDirection.DOWN if spec is not None and spec.direction == "lower" else ExpectedDirection.UP
