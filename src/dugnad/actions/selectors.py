"""Reads of actions for pages, the API and the CLI: a unit's actions with its role, details, catalogue, agreements."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from dugnad.actions.models import Action, ActionPartner, ActionTemplate, Agreement, Commitment, Milestone, Organisation
from dugnad.units.models import Unit
from dugnad.units.selectors import unit_current

#: Columns of ``dugnad actions list``.
ACTION_COLUMNS = ("id", "title", "role", "status", "progress", "own_progress", "lead", "partners", "start", "end", "targets")


@dataclass(frozen=True)
class UnitAction:
    """An action seen from one unit: the action and the unit's own part in it."""

    action: Action
    part: ActionPartner

    @property
    def role(self) -> str:
        """The unit's role code (lead, partner, funder)."""
        return self.part.role


def _with_details(actions: QuerySet[Action]) -> QuerySet[Action]:
    parts = ActionPartner.objects.select_related("unit", "organisation")
    return actions.prefetch_related(Prefetch("partners", queryset=parts), "targets", "indicator_links__indicator")


def actions_of_unit(unit, *, user=None) -> list[UnitAction]:
    """Every action where the unit is lead, partner or funder (only those the user can see, when a user is given)."""
    actions = Action.objects.with_unit(unit)
    if user is not None:
        actions = actions.filter(pk__in=Action.objects.visible_to(user).values("pk"))
    out = []
    for action in _with_details(actions).order_by("start", "title", "pk"):
        part = next(p for p in action.partners.all() if p.unit_id == unit.pk)
        out.append(UnitAction(action, part))
    return out


def action_row(item: UnitAction) -> tuple:
    """One CLI/CSV row of a unit's action."""
    a = item.action
    lead = a.lead
    partners = "; ".join(f"{p.party_code} {p.party_name} ({p.role})" for p in a.partners.all() if p.role != "lead")
    codes = (t.code for t in a.targets.all())
    targets = " ".join(sorted(codes, key=lambda c: [(0, int(x), "") if x.isdigit() else (1, 0, x) for x in c.split(".")]))
    return (a.pk, a.title, item.role, a.status, a.progress, item.part.progress, lead.party_name if lead else "", partners,
            a.start or "", a.end or "", targets)


def actions_visible(user, *, status: str = "", target: str = "", goal: int | None = None, level: str = "",
                    partner=None) -> QuerySet[Action]:
    """Actions the user can see, with partners prefetched, optionally filtered.

    ``status``: one status; ``target``: towards one target code; ``goal``: towards a target of the goal;
    ``level``: led by a unit at this level (``country``, ``county``, ``municipality``) or, with
    ``organisation``, by an organisation; ``partner``: a unit or organisation taking part in any role.
    """
    actions = Action.objects.visible_to(user)
    if status:
        actions = actions.filter(status=status)
    if target:
        actions = actions.filter(targets__code=target)
    if goal:
        actions = actions.filter(pk__in=Action.objects.filter(targets__goal_id=goal).values("pk"))
    if level == "organisation":
        actions = actions.filter(partners__role="lead", partners__organisation__isnull=False)
    elif level:
        actions = actions.filter(partners__role="lead", partners__unit__level__code=level)
    if isinstance(partner, Organisation):
        actions = actions.filter(pk__in=ActionPartner.objects.filter(organisation=partner).values("action_id"))
    elif partner is not None:
        actions = actions.filter(pk__in=ActionPartner.objects.filter(unit=partner).values("action_id"))
    return _with_details(actions)


def action_detail(pk: int) -> Action:
    """One action with partners, targets, indicators, milestones, updates and links loaded."""
    return _with_details(Action.objects.all()).prefetch_related("milestones", "updates__author", "updates__partner",
                                                                "links", "agreements").get(pk=pk)


def templates_by_target(*, goal: int | None = None) -> QuerySet[ActionTemplate]:
    """The action catalogue, by target (of one goal, when given)."""
    rows = ActionTemplate.objects.select_related("target").prefetch_related("indicators")
    return rows.filter(target__goal_id=goal) if goal else rows


def agreements_with_details() -> QuerySet[Agreement]:
    """Agreements with parties, commitments and linked actions loaded."""
    return Agreement.objects.prefetch_related("parties__unit", "parties__organisation", "commitments__party__unit",
                                              "commitments__party__organisation", "actions")


def agreement_actions_for(user, agreement: Agreement, *, can_link: bool) -> tuple[list[Action], QuerySet[Action]]:
    """The agreement's linked actions the user may see, and the visible actions the user may link to it."""
    visible = Action.objects.visible_to(user)
    seen = set(visible.filter(agreements=agreement).values_list("pk", flat=True))
    linked = [a for a in agreement.actions.all() if a.pk in seen]
    choices = visible.exclude(agreements=agreement).order_by("title") if can_link else Action.objects.none()
    return linked, choices


def action_get(pk: int) -> Action | None:
    """The action with this id, or None."""
    return Action.objects.filter(pk=pk).first()


def action_partner_get(*, action_id: int, part_id: int) -> ActionPartner | None:
    """One partner's part of an action (with action, unit and organisation), or None."""
    parts = ActionPartner.objects.select_related("action", "unit", "organisation")
    return parts.filter(pk=part_id, action_id=action_id).first()


def milestone_get(*, action_id: int, milestone_id: int) -> Milestone | None:
    """One milestone of an action (with the action and the owning partner's unit), or None."""
    return Milestone.objects.select_related("action", "partner__unit").filter(pk=milestone_id, action_id=action_id).first()


def commitment_get(pk: int) -> Commitment | None:
    """One commitment of an agreement (with its party's unit and the agreement), or None."""
    return Commitment.objects.select_related("party__unit", "agreement").filter(pk=pk).first()


def template_get(pk: int) -> ActionTemplate | None:
    """The catalogue template with this id, or None."""
    return ActionTemplate.objects.filter(pk=pk).first()


def participant_get(*, unit: str | None = None, organisation: int | None = None) -> Unit | Organisation | None:
    """A party to an action or network: the unit valid today with this code, or the organisation with this id."""
    if unit:
        return unit_current(unit)
    return Organisation.objects.filter(pk=organisation).first() if organisation else None


def organisations_all() -> QuerySet[Organisation]:
    """Every organisation that can take part in actions and agreements, by name."""
    return Organisation.objects.order_by("name")


def actions_with_overdue_milestones(actions: QuerySet[Action], on) -> list[int]:
    """Ids of those actions that have a milestone past its due date (before ``on``) and not done."""
    return list(Milestone.objects.filter(action__in=actions.values("pk"), done_on__isnull=True, due__lt=on)
                .values_list("action_id", flat=True).distinct())


def actions_followed_up(*, units=None, across_levels: bool = False, include_demo: bool = True) -> list[Action]:
    """Public actions with a start date and at least one indicator, whose effect can be followed up, by title.

    ``units``: only actions with one of these units as a party (any role); ``across_levels``: only actions whose
    unit parties are at more than one level; ``include_demo``: demo actions too.
    """
    actions = Action.objects.public().filter(start__isnull=False, indicator_links__isnull=False).distinct()
    if units is not None:
        actions = actions.filter(pk__in=ActionPartner.objects.filter(unit__in=list(units)).values("action_id"))
    if not include_demo:
        actions = actions.filter(is_demo=False)
    found = list(actions.prefetch_related("partners__unit__level").order_by("title", "pk"))
    if across_levels:
        found = [a for a in found if len({p.unit.level_id for p in a.partners.all() if p.unit_id}) > 1]
    return found
