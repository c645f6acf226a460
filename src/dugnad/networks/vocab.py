"""Vocabularies of the networks app as enums with metadata: network kinds, invitation states, document kinds, sizes."""

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


class SizeBand(models.TextChoices):
    """Municipality size by population, as a search facet."""

    SMALL = "small", _("Under 5 000 innbyggere")
    MEDIUM = "medium", _("5 000–20 000 innbyggere")
    LARGE = "large", _("20 000–100 000 innbyggere")
    CITY = "city", _("Over 100 000 innbyggere")
    UNKNOWN = "unknown", _("Ukjent størrelse")

    @classmethod
    def of(cls, population: float | None) -> SizeBand:
        """The band of a population (unknown when not recorded)."""
        if population is None:
            return cls.UNKNOWN
        for band, high in ((cls.SMALL, 5_000), (cls.MEDIUM, 20_000), (cls.LARGE, 100_000)):
            if population < high:
                return band
        return cls.CITY
