"""Vocabularies of publications: document kinds, output formats and version states, with their labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """A kind of generated document."""

    VLR = "vlr", _("Lokal bærekraftsrapport (VLR)")
    COUNTY_REVIEW = "county-review", _("Fylkesgjennomgang")
    VSR = "vsr", _("Nasjonal rapport (VSR)")


class PublicationFormat(models.TextChoices):
    """A file format a document is rendered to."""

    PDF = "pdf", "PDF"
    HTML = "html", "HTML"

    @property
    def content_type(self) -> str:
        """The MIME type of files in this format."""
        return {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}[self.value]


class PublicationState(models.TextChoices):
    """Where a generated report version is: queued → running → done | failed."""

    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Lages")
    DONE = "done", _("Ferdig")
    FAILED = "failed", _("Feilet")


#: Languages fixed texts are translated into (narratives stay in the language they were written in).
LANGUAGES = ("nb", "nn", "en")
