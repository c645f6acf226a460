"""Models of organisations, joint actions (partners, indicators, milestones, updates, links), agreements and templates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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

    name = models.CharField(verbose_name=_("navn"), max_length=200, unique=True)
    kind = models.CharField(verbose_name=_("type"), max_length=20, choices=OrganisationKind.choices)
    org_number = models.CharField(
        verbose_name=_("organisasjonsnummer"), max_length=9, blank=True, help_text=_("Ni sifre fra Enhetsregisteret.")
    )
    website = models.URLField(verbose_name=_("nettsted"), blank=True)
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
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

    title = models.CharField(verbose_name=_("tittel"), max_length=300)
    description = models.TextField(verbose_name=_("beskrivelse"), blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(
        verbose_name=_("framdrift (%)"), default=0, validators=PERCENT, help_text=_("Snittet av partenes framdrift.")
    )
    start = models.DateField(verbose_name=_("start"), null=True, blank=True)
    end = models.DateField(verbose_name=_("slutt"), null=True, blank=True)
    visibility = models.CharField(
        verbose_name=_("synlighet"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    targets = models.ManyToManyField("catalogue.Target", verbose_name=_("delmål"), blank=True, related_name="actions")
    template = models.ForeignKey(
        "ActionTemplate", verbose_name=_("mal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opprettet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("endret"), auto_now=True)
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="action_end_after_start",
            )
        ]

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

    action = models.ForeignKey(Action, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(
        "catalogue.Indicator", verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="action_links"
    )
    direction = models.CharField(
        verbose_name=_("forventet retning"), max_length=4, choices=ExpectedDirection.choices, default=ExpectedDirection.UP
    )

    class Meta:
        verbose_name = _("indikator for tiltak")
        verbose_name_plural = _("indikatorer for tiltak")
        constraints = [models.UniqueConstraint(fields=["action", "indicator"], name="action_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.direction}"


class ActionPartner(models.Model):
    """One party's part in an action: a unit or an organisation, its role, budget share and own progress."""

    action = models.ForeignKey(Action, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="partners")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("enhet"), null=True, blank=True, on_delete=models.PROTECT, related_name="action_parts"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisasjon"), null=True, blank=True, on_delete=models.PROTECT, related_name="action_parts"
    )
    role = models.CharField(verbose_name=_("rolle"), max_length=8, choices=PartnerRole.choices, default=PartnerRole.PARTNER)
    budget_share = models.DecimalField(
        verbose_name=_("budsjettandel (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Andel av budsjettet i prosent."),
    )
    contribution = models.TextField(verbose_name=_("bidrag"), blank=True, help_text=_("Hva parten gjør."))
    progress = models.PositiveSmallIntegerField(verbose_name=_("framdrift (%)"), default=0, validators=PERCENT)
    note = models.TextField(verbose_name=_("statusnotat"), blank=True, help_text=_("Partens siste statusnotat."))
    updated_at = models.DateTimeField(verbose_name=_("endret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("endret av"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("part i tiltak")
        verbose_name_plural = _("parter i tiltak")
        ordering = ["action", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(organisation__isnull=True))
                | (Q(unit__isnull=True) & Q(organisation__isnull=False)),
                name="partner_unit_xor_org",
            ),
            models.UniqueConstraint(fields=["action", "unit"], condition=Q(unit__isnull=False), name="partner_unit_once"),
            models.UniqueConstraint(
                fields=["action", "organisation"], condition=Q(organisation__isnull=False), name="partner_org_once"
            ),
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

    action = models.ForeignKey(Action, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(verbose_name=_("tittel"), max_length=300)
    due = models.DateField(verbose_name=_("frist"))
    partner = models.ForeignKey(
        ActionPartner,
        verbose_name=_("ansvarlig part"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    done_on = models.DateField(verbose_name=_("fullført"), null=True, blank=True)
    reminded_on = models.DateField(
        verbose_name=_("påminnet"), null=True, blank=True, help_text=_("Når siste påminnelse ble sendt.")
    )

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.due}: {self.title}"

    @property
    def is_overdue(self) -> bool:
        """Past its due date and not done."""
        return self.done_on is None and self.due < dt.date.today()


class StatusUpdate(models.Model):
    """One entry of an action's log: who reported what, for which part, with status and progress then."""

    action = models.ForeignKey(Action, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="updates")
    partner = models.ForeignKey(
        ActionPartner, verbose_name=_("part"), null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skrevet av"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(verbose_name=_("tidspunkt"), auto_now_add=True)
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField(verbose_name=_("framdrift (%)"), validators=PERCENT)
    text = models.TextField(verbose_name=_("tekst"), blank=True)

    class Meta:
        verbose_name = _("statusoppdatering")
        verbose_name_plural = _("statusoppdateringer")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.status} {self.progress} %"


class ActionLink(models.Model):
    """A document or web link attached to an action."""

    action = models.ForeignKey(Action, verbose_name=_("tiltak"), on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(verbose_name=_("type"), max_length=10, choices=LinkKind.choices, default=LinkKind.LINK)
    title = models.CharField(verbose_name=_("tittel"), max_length=300)
    url = models.URLField(verbose_name=_("adresse"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lagt til av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dokument eller lenke")
        verbose_name_plural = _("dokumenter og lenker")

    def __str__(self) -> str:
        return self.title


class Agreement(models.Model):
    """A cooperation agreement (e.g. ministry and KS, or a county and its municipalities) with commitments and actions."""

    title = models.CharField(verbose_name=_("tittel"), max_length=300)
    description = models.TextField(verbose_name=_("beskrivelse"), blank=True)
    signed_on = models.DateField(verbose_name=_("inngått"), null=True, blank=True)
    valid_to = models.DateField(verbose_name=_("gjelder til"), null=True, blank=True)
    status = models.CharField(
        verbose_name=_("oppfølging"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.NOT_STARTED
    )
    actions = models.ManyToManyField(Action, verbose_name=_("tiltak"), blank=True, related_name="agreements")
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    class Meta:
        verbose_name = _("samarbeidsavtale")
        verbose_name_plural = _("samarbeidsavtaler")
        ordering = ["-signed_on", "title"]

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    """A party to an agreement: a unit or an organisation."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("avtale"), on_delete=models.CASCADE, related_name="parties")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("enhet"), null=True, blank=True, on_delete=models.PROTECT, related_name="agreement_parts"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasjon"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parts",
    )

    class Meta:
        verbose_name = _("part i avtale")
        verbose_name_plural = _("parter i avtale")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(organisation__isnull=True))
                | (Q(unit__isnull=True) & Q(organisation__isnull=False)),
                name="party_unit_xor_org",
            )
        ]

    def __str__(self) -> str:
        return self.party_name

    @property
    def party_name(self) -> str:
        """The unit's or organisation's name."""
        return self.unit.name if self.unit_id else self.organisation.name


class Commitment(models.Model):
    """What one party of an agreement promises, with a due date and its own follow-up status."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("avtale"), on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(AgreementParty, verbose_name=_("part"), on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(verbose_name=_("forpliktelse"))
    due = models.DateField(verbose_name=_("frist"), null=True, blank=True)
    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.NOT_STARTED
    )

    class Meta:
        verbose_name = _("forpliktelse")
        verbose_name_plural = _("forpliktelser")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_overdue(self) -> bool:
        """Past its due date and neither fulfilled nor ended."""
        return bool(
            self.due and self.due < dt.date.today() and self.status not in (FollowUpStatus.FULFILLED, FollowUpStatus.ENDED)
        )


class ActionTemplate(models.Model):
    """A recommended action for an SDG target in the action catalogue; "copy into my plan" makes an action of it."""

    target = models.ForeignKey(
        "catalogue.Target", verbose_name=_("delmål"), on_delete=models.CASCADE, related_name="action_templates"
    )
    title = models.CharField(verbose_name=_("tittel"), max_length=300)
    description = models.TextField(verbose_name=_("beskrivelse"))
    indicators = models.ManyToManyField(
        "catalogue.Indicator", verbose_name=_("indikatorer"), blank=True, related_name="action_templates"
    )
    suggested_partners = models.CharField(
        verbose_name=_("typiske partnere"), max_length=300, blank=True, help_text=_("Typiske partnere, som tekst.")
    )
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    class Meta:
        verbose_name = _("tiltaksmal")
        verbose_name_plural = _("tiltakskatalog")
        ordering = ["target__sort_key", "title"]

    def __str__(self) -> str:
        return f"{self.target.code}: {self.title}"
