"""Models of organisations, joint actions (partners, indicators, milestones, updates, links), agreements and templates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from dugnad.accounts.permissions import is_administrator, units_visible_to
from dugnad.actions.vocab import (
    ActionStatus,
    ExpectedDirection,
    FollowUpStatus,
    LinkKind,
    OrganisationKind,
    PartnerRole,
    Visibility,
)

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Organisation(models.Model):
    """A partner that is not an administrative unit: a state agency, KS, a business, an NGO or a university."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    org_number = models.CharField(max_length=9, blank=True, help_text="Organisasjonsnummer in Enhetsregisteret.")
    website = models.URLField(blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActionQuerySet(models.QuerySet):
    """Named scoping rules for actions."""

    def with_unit(self, unit) -> ActionQuerySet:
        """Actions where the unit is lead, partner or funder."""
        return self.filter(partners__unit=unit).distinct()

    def public(self) -> ActionQuerySet:
        """Actions anyone may read."""
        return self.filter(visibility=Visibility.PUBLIC)

    def visible_to(self, user) -> ActionQuerySet:
        """Actions the user may read: public ones, and those with a partner unit the user can see."""
        if is_administrator(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.public()
        return self.filter(Q(visibility=Visibility.PUBLIC) | Q(partners__unit__in=units_visible_to(user))).distinct()


class Action(models.Model):
    """A joint action: what is done, towards which SDG targets and indicators, by whom, and how far it has come."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(default=0, validators=PERCENT,
                                                help_text="Overall progress %: the mean of the partners' progress.")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    targets = models.ManyToManyField("catalogue.Target", blank=True, related_name="actions")
    template = models.ForeignKey("ActionTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [models.CheckConstraint(
            condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")), name="action_end_after_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def status_enum(self) -> ActionStatus:
        """The status as its enum (label, colour, flags)."""
        return ActionStatus(self.status)

    @property
    def lead(self) -> ActionPartner | None:
        """The lead partner (each action has exactly one)."""
        return next((p for p in self.partners.all() if p.role == PartnerRole.LEAD), None)


class ActionIndicator(models.Model):
    """An indicator an action should move, with the expected direction."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey("catalogue.Indicator", on_delete=models.CASCADE, related_name="action_links")
    direction = models.CharField(max_length=4, choices=ExpectedDirection.choices, default=ExpectedDirection.UP)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "indicator"], name="action_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.direction}"


class ActionPartner(models.Model):
    """One party's part in an action: a unit or an organisation, its role, budget share and own progress."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partners")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="action_parts")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="action_parts")
    role = models.CharField(max_length=8, choices=PartnerRole.choices, default=PartnerRole.PARTNER)
    budget_share = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT,
                                       help_text="Share of the budget in %.")
    contribution = models.TextField(blank=True, help_text="What this party does.")
    progress = models.PositiveSmallIntegerField(default=0, validators=PERCENT)
    note = models.TextField(blank=True, help_text="The party's latest status note.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["action", "role", "pk"]
        constraints = [
            models.CheckConstraint(condition=(Q(unit__isnull=False) & Q(organisation__isnull=True))
                                   | (Q(unit__isnull=True) & Q(organisation__isnull=False)), name="partner_unit_xor_org"),
            models.UniqueConstraint(fields=["action", "unit"], condition=Q(unit__isnull=False), name="partner_unit_once"),
            models.UniqueConstraint(fields=["action", "organisation"], condition=Q(organisation__isnull=False),
                                    name="partner_org_once"),
            models.UniqueConstraint(fields=["action"], condition=Q(role="lead"), name="partner_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.party_name} ({self.get_role_display()})"

    @property
    def party_name(self) -> str:
        """The unit's or organisation's name."""
        return self.unit.name if self.unit_id else self.organisation.name

    @property
    def party_code(self) -> str:
        """The unit code, or ``org:<id>`` for an organisation."""
        return self.unit.code if self.unit_id else f"org:{self.organisation_id}"


class Milestone(models.Model):
    """A dated step of an action, optionally owned by one partner; reminders are sent before the due date."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due = models.DateField()
    partner = models.ForeignKey(ActionPartner, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones")
    done_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, help_text="When the last reminder was e-mailed.")

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.due}: {self.title}"

    @property
    def is_overdue(self) -> bool:
        """Past its due date and not done."""
        return self.done_on is None and self.due < dt.date.today()


class StatusUpdate(models.Model):
    """One entry of an action's log: who reported what, for which part, with status and progress then."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    partner = models.ForeignKey(ActionPartner, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField(validators=PERCENT)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.status} {self.progress} %"


class ActionLink(models.Model):
    """A document or web link attached to an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=LinkKind.choices, default=LinkKind.LINK)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.title


class Agreement(models.Model):
    """A cooperation agreement (e.g. ministry and KS, or a county and its municipalities) with commitments and actions."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    signed_on = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.NOT_STARTED)
    actions = models.ManyToManyField(Action, blank=True, related_name="agreements")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-signed_on", "title"]

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    """A party to an agreement: a unit or an organisation."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="agreement_parts")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="agreement_parts")

    class Meta:
        constraints = [models.CheckConstraint(
            condition=(Q(unit__isnull=False) & Q(organisation__isnull=True))
            | (Q(unit__isnull=True) & Q(organisation__isnull=False)), name="party_unit_xor_org")]

    def __str__(self) -> str:
        return self.party_name

    @property
    def party_name(self) -> str:
        """The unit's or organisation's name."""
        return self.unit.name if self.unit_id else self.organisation.name


class Commitment(models.Model):
    """What one party of an agreement promises, with a due date and its own follow-up status."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(AgreementParty, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField()
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.NOT_STARTED)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_overdue(self) -> bool:
        """Past its due date and neither fulfilled nor ended."""
        return bool(self.due and self.due < dt.date.today()
                    and self.status not in (FollowUpStatus.FULFILLED, FollowUpStatus.ENDED))


class ActionTemplate(models.Model):
    """A recommended action for an SDG target in the action catalogue; "copy into my plan" makes an action of it."""

    target = models.ForeignKey("catalogue.Target", on_delete=models.CASCADE, related_name="action_templates")
    title = models.CharField(max_length=300)
    description = models.TextField()
    indicators = models.ManyToManyField("catalogue.Indicator", blank=True, related_name="action_templates")
    suggested_partners = models.CharField(max_length=300, blank=True, help_text="Typical partners, as text.")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["target__sort_key", "title"]

    def __str__(self) -> str:
        return f"{self.target.code}: {self.title}"
