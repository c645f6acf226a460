"""Models of networks: members, coordinators, invitations and workspace documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dugnad.networks.vocab import InvitationState, NetworkDocumentKind, NetworkKind

UNIT_XOR_ORG = (Q(unit__isnull=False) & Q(organisation__isnull=True)) | (Q(unit__isnull=True) & Q(organisation__isnull=False))


class NetworkQuerySet(models.QuerySet):
    """Named scoping rules for networks."""

    def with_member(self, unit) -> NetworkQuerySet:
        """Networks the unit is a member of."""
        return self.filter(members__unit=unit).distinct()

    def coordinated_by(self, user) -> NetworkQuerySet:
        """Networks the user coordinates."""
        return self.filter(coordinators=user)


class Network(models.Model):
    """A county-led or thematic network of municipalities and organisations with a shared workspace."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=NetworkKind.choices, default=NetworkKind.COUNTY)
    description = models.TextField(blank=True)
    lead_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="led_networks",
                                  help_text="The unit that leads the network (a county network: its county).")
    coordinators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_networks")
    indicators = models.ManyToManyField("catalogue.Indicator", blank=True, related_name="networks",
                                        help_text="The network's indicator set (empty: every scored indicator).")
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="networks", help_text="Joint actions.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("nettverk")
        verbose_name_plural = _("nettverk")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMember(models.Model):
    """A unit or organisation that is a member of a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="network_memberships")
    organisation = models.ForeignKey("actions.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="network_memberships")
    joined_on = models.DateField(auto_now_add=True)

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")
        ordering = ["network", "unit__code", "organisation__name"]
        constraints = [
            models.CheckConstraint(condition=UNIT_XOR_ORG, name="network_member_unit_xor_org"),
            models.UniqueConstraint(fields=["network", "unit"], condition=Q(unit__isnull=False), name="network_member_unit_once"),
            models.UniqueConstraint(fields=["network", "organisation"], condition=Q(organisation__isnull=False),
                                    name="network_member_org_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The member's name."""
        return self.unit.name if self.unit_id else self.organisation.name


class Invitation(models.Model):
    """An invitation for a unit or organisation to join a network, answered by someone acting for it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="network_invitations")
    organisation = models.ForeignKey("actions.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=UNIT_XOR_ORG, name="invitation_unit_xor_org"),
            models.UniqueConstraint(fields=["network", "unit"], condition=Q(state="pending", unit__isnull=False),
                                    name="invitation_pending_once"),
        ]

    def __str__(self) -> str:
        return f"{self.network} → {self.unit or self.organisation} ({self.state})"


class NetworkDocument(models.Model):
    """A document link or meeting note in a network's workspace."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=NetworkDocumentKind.choices, default=NetworkDocumentKind.MEETING_NOTE)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokument i nettverk")
        verbose_name_plural = _("dokumenter i nettverk")
        ordering = ["-meeting_on", "-created_at"]

    def __str__(self) -> str:
        return self.title
