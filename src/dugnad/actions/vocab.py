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


class EffectReading(models.TextChoices):
    """How sure an action's effect comparison can be (the values of ``dugnad.analytics.effects.Reading``)."""

    NO_DATA = "no_data", _("Ingen tall: ingen partner har tall både før og etter start")
    NO_COMPARISON = "no_comparison", _("Ingen sammenligning: ingen lignende enheter utenfor tiltaket har tall før og etter")
    TOO_FEW = "too_few", _("For få enheter til å si noe")
    WITHIN_VARIATION = "within_variation", _("Forskjellen er innenfor den vanlige variasjonen mellom enhetene")
    BEYOND_VARIATION = "beyond_variation", _(
        "Forskjellen er større enn den vanlige variasjonen mellom enhetene, men viser ikke at tiltaket er årsaken")


class EffectOutcome(models.TextChoices):
    """Whether the difference is in the indicator's good direction (``dugnad.analytics.effects.Outcome``)."""

    BETTER = "better", _("I god retning")
    WORSE = "worse", _("I dårlig retning")
    UNCHANGED = "unchanged", _("Ingen forskjell")
    UNKNOWN = "unknown", _("Kan ikke sies")


class EffectCaveat(models.TextChoices):
    """What a reader should keep in mind about an effect comparison (``dugnad.analytics.effects.Caveat``)."""

    NOT_CAUSAL = "not_causal", _("Sammenligningen viser ikke at tiltaket virker: andre forhold kan ha endret seg samtidig.")
    TRENDS_NOT_TESTED = "trends_not_tested", _(
        "Metoden forutsetter at gruppene ville utviklet seg likt uten tiltaket. Det er ikke testet; se utviklingen før "
        "start.")
    FEW_UNITS = "few_units", _("Færre enn tre enheter i en av gruppene.")
    NO_COMPARISON = "no_comparison", _("Ingen lignende enheter å sammenligne med.")
    UNITS_LEFT_OUT = "units_left_out", _("Enheter uten tall både før og etter start er utelatt.")
    SPANNING_LEFT_OUT = "spanning_left_out", _("Året tiltaket startet, er utelatt fordi det ligger både før og etter start.")
    SHORT_AFTER = "short_after", _("Høyst ett år med tall etter start: en virkning kan komme senere.")
    DIRECTION_UNKNOWN = "direction_unknown", _("Det er ikke kjent om høye eller lave verdier er best på indikatoren.")
    DEMO = "demo", _("Demodata – ikke ekte tall.")
