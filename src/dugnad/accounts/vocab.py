"""The roles a user can hold on a unit, as an enum with metadata."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role held by a user on one unit."""

    MUNICIPAL_EDITOR = "municipal_editor", _("Kommunal redaktør")
    MUNICIPAL_READER = "municipal_reader", _("Kommunal leser")
    COUNTY_EDITOR = "county_editor", _("Fylkesredaktør")
    COUNTY_READER = "county_reader", _("Fylkesleser")
    COUNTY_COORDINATOR = "county_coordinator", _("Fylkeskoordinator")
    NATIONAL_COORDINATOR = "national_coordinator", _("Nasjonal koordinator (KS)")
    MINISTRY_READER = "ministry_reader", _("Departementsleser")
    ADMINISTRATOR = "administrator", _("Administrator")

    @property
    def can_edit(self) -> bool:
        """Whether the role may write data for its unit."""
        return self in {Role.MUNICIPAL_EDITOR, Role.COUNTY_EDITOR, Role.COUNTY_COORDINATOR, Role.NATIONAL_COORDINATOR,
                        Role.ADMINISTRATOR}

    @property
    def reaches_children(self) -> bool:
        """Whether the role's rights extend to the units below its unit."""
        return self in {Role.COUNTY_COORDINATOR, Role.NATIONAL_COORDINATOR, Role.MINISTRY_READER, Role.ADMINISTRATOR}
