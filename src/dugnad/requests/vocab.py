"""Vocabularies of requests across levels: the level a request goes to and where it stands."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestLevel(models.TextChoices):
    """The level a request is addressed to."""

    MUNICIPALITY = "kommune", _("Kommune")
    COUNTY = "fylke", _("Fylke")
    STATE = "stat", _("Stat")


class RequestStatus(models.TextChoices):
    """Where a request stands: sent, received, answered, followed up or declined."""

    SUBMITTED = "submitted", _("Sendt")
    RECEIVED = "received", _("Mottatt")
    ANSWERED = "answered", _("Besvart")
    FOLLOWED_UP = "followed_up", _("Fulgt opp")
    DECLINED = "declined", _("Avvist")

    @property
    def next_statuses(self) -> tuple[str, ...]:
        """The statuses the request may move to from this one."""
        return _NEXT[self.value]

    @property
    def is_open(self) -> bool:
        """Whether the receiving level still has to act."""
        return self.value in ("submitted", "received")


_NEXT = {
    "submitted": ("received", "answered", "declined"),
    "received": ("answered", "declined"),
    "answered": ("followed_up",),
    "followed_up": (),
    "declined": (),
}
