"""Vocabularies of the actions app as enums with metadata: statuses, partner roles, directions, kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    """Where an action stands."""

    IDEA = "idea", _("Idé")
    PLANNED = "planned", _("Planlagt")
    ONGOING = "ongoing", _("Pågår")
    COMPLETED = "completed", _("Fullført")
    CANCELLED = "cancelled", _("Avlyst")

    @property
    def colour(self) -> str:
        """A CSS colour for badges."""
        return _STATUS_META[self][0]

    @property
    def is_open(self) -> bool:
        """Whether work on the action may still happen (not completed or cancelled)."""
        return _STATUS_META[self][1]

    @property
    def order(self) -> int:
        """Sort position in the life cycle."""
        return list(ActionStatus).index(self)


_STATUS_META = {
    ActionStatus.IDEA: ("#6b6b6b", True),
    ActionStatus.PLANNED: ("#1f5fa8", True),
    ActionStatus.ONGOING: ("#8a5a00", True),
    ActionStatus.COMPLETED: ("#1d6b2f", False),
    ActionStatus.CANCELLED: ("#8b1a1a", False),
}


class PartnerRole(models.TextChoices):
    """The role of a unit or organisation in an action."""

    LEAD = "lead", _("Ansvarlig")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Finansierer")


class ExpectedDirection(models.TextChoices):
    """Which way an action is expected to move an indicator."""

    UP = "up", _("Opp")
    DOWN = "down", _("Ned")
    HOLD = "hold", _("Holde nivået")

    @property
    def arrow(self) -> str:
        """An arrow symbol for the direction."""
        return {"up": "↑", "down": "↓", "hold": "→"}[self.value]


class OrganisationKind(models.TextChoices):
    """Kinds of organisations that take part besides the administrative units."""

    STATE_AGENCY = "state_agency", _("Statlig etat")
    MINISTRY = "ministry", _("Departement")
    KS = "ks", _("KS")
    BUSINESS = "business", _("Næringsliv")
    NGO = "ngo", _("Frivillig organisasjon")
    UNIVERSITY = "university", _("Universitet eller høyskole")
    OTHER = "other", _("Annen")


class Visibility(models.TextChoices):
    """Who may read an action."""

    PUBLIC = "public", _("Åpen for alle")
    PARTNERS = "partners", _("Bare partnere og koordinatorer over dem")


class LinkKind(models.TextChoices):
    """What an attached link points to."""

    DOCUMENT = "document", _("Dokument")
    LINK = "link", _("Lenke")


class FollowUpStatus(models.TextChoices):
    """Follow-up status of a cooperation agreement or one of its commitments."""

    NOT_STARTED = "not_started", _("Ikke startet")
    ON_TRACK = "on_track", _("I rute")
    DELAYED = "delayed", _("Forsinket")
    FULFILLED = "fulfilled", _("Oppfylt")
    ENDED = "ended", _("Avsluttet")
