"""Vocabularies of the networks app as enums with metadata: network kinds, invitation states, document kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkKind(models.TextChoices):
    """What holds a network together."""

    COUNTY = "county", _("Fylkesnettverk")
    THEMATIC = "thematic", _("Tematisk nettverk")

    @property
    def needs_lead_unit(self) -> bool:
        """Whether the network is led by a unit (a county network by its county)."""
        return self is NetworkKind.COUNTY


class InvitationState(models.TextChoices):
    """Where an invitation to a network stands."""

    PENDING = "pending", _("Venter på svar")
    ACCEPTED = "accepted", _("Akseptert")
    DECLINED = "declined", _("Avslått")


class DocumentKind(models.TextChoices):
    """What a workspace entry is."""

    DOCUMENT = "document", _("Dokument")
    MEETING_NOTE = "meeting_note", _("Møtereferat")
