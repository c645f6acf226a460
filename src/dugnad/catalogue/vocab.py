"""Vocabularies of the catalogue as enums with labels: concordance relations and the labels of indicator directions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dugnad.analytics.rollup.types import Direction


class Relation(models.TextChoices):
    """How two indicators of different frameworks relate in the concordance."""

    SAME = "same", _("Samme indikator")
    CLOSE = "close", _("Nær tilsvarende")
    BROADER = "broader", _("Bredere")
    NARROWER = "narrower", _("Smalere")
    RELATED = "related", _("Beslektet")


#: Labels of the pure core's ``Direction`` (which way is better for an indicator); one enum, labelled here.
DIRECTION_LABELS = {Direction.HIGHER: _("Høyere er bedre"), Direction.LOWER: _("Lavere er bedre")}
#: Model choices of an indicator specification's direction.
DIRECTION_CHOICES = [(d.value, DIRECTION_LABELS[d]) for d in Direction]
