"""Writes of publications: build and render a document to a file, request a kept version, generate it in a task."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import units_publishable_by
from dugnad.analytics.report import InputError
from dugnad.common.files import write_atomic
from dugnad.env import data_dir, env_int
from dugnad.publications.builders import BUILDERS
from dugnad.publications.builders.errors import check_language, input_error
from dugnad.publications.document import Document
from dugnad.publications.models import Publication
from dugnad.publications.renderers import Rendered, render
from dugnad.publications.vocab import DocumentKind, PublicationFormat, PublicationState
from dugnad.rounds.models import Round
from dugnad.units.models import Unit

if TYPE_CHECKING:
    from dugnad.publications.batch import VlrBatch

logger = logging.getLogger(__name__)
#: A version still queued or running after this long was abandoned (its worker stopped); it no longer blocks a new one.
ABANDONED_AFTER = dt.timedelta(minutes=30)
UNFINISHED = (PublicationState.QUEUED, PublicationState.RUNNING)


def _builders() -> dict:
    from dugnad.publications.builders import county, vlr, vsr  # noqa: F401  (register the built-ins)

    return BUILDERS


def document_build(*, kind: str, round_: Round, unit: Unit | None, lang: str, batch: VlrBatch | None = None) -> Document:
    """The document of a kind for a round (and unit), in the language; InputError when the request cannot be met.
    ``batch``: the shared reads of a batch of VLRs of the round (``publications.batch``; VLRs only)."""
    check_language(lang)
    builders = _builders()
    if kind not in builders:
        raise input_error("publish", f"ukjent dokumenttype; velg ett av {', '.join(builders)}", column="kind", value=kind)
    if kind == DocumentKind.VSR:
        return builders[kind](round_=round_, lang=lang)
    if unit is None:
        raise input_error("publish", "dokumenttypen krever en enhet", column="--unit")
    if batch is not None and kind == DocumentKind.VLR:
        return builders[kind](round_=round_, unit=unit, lang=lang, batch=batch)
    return builders[kind](round_=round_, unit=unit, lang=lang)


def publication_render_file(*, kind: str, round_: Round, unit: Unit | None, lang: str, out: Path,
                            batch: VlrBatch | None = None) -> Rendered:
    """Build and render a document to ``out`` (format from the extension: .pdf or .html); ``batch`` as in
    :func:`document_build`."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in PublicationFormat.values:
        raise input_error("publish", "filen må slutte på .pdf eller .html", column="--out", value=str(out))
    rendered = render(document_build(kind=kind, round_=round_, unit=unit, lang=lang, batch=batch), fmt)
    write_atomic(out, rendered.content)
    return rendered


def can_publish(user, *, round_: Round, unit: Unit | None) -> bool:
    """Whether the user may have a version made: a writing role on the unit (or the round's scope for the VSR)."""
    return units_publishable_by(user).filter(pk=unit.pk if unit is not None else round_.scope_unit_id).exists()


@transaction.atomic
def publication_request(*, user, kind: str, round_: Round, unit: Unit | None, lang: str = "nb",
                        fmt: str = PublicationFormat.PDF) -> Publication:
    """Record a new queued version of the document and enqueue its generation once the transaction commits.

    Read-only roles may not; while a version of the same document, language and format is queued or running,
    no other is made.
    """
    if not can_publish(user, round_=round_, unit=unit):
        raise PermissionDenied(_("Du kan ikke lage rapporter for denne enheten."))
    check_language(lang)
    if fmt not in PublicationFormat.values:
        raise input_error("publish", "ukjent format; velg pdf eller html", column="format", value=fmt)
    Round.objects.select_for_update().filter(pk=round_.pk).first()  # one request per round at a time
    latest = Publication.objects.of(kind=kind, round_=round_, unit=unit).filter(language=lang, format=fmt)
    unfinished = latest.filter(state__in=UNFINISHED)
    unfinished.filter(created_at__lt=timezone.now() - ABANDONED_AFTER).update(
        state=PublicationState.FAILED, error=_("Avbrutt: arbeidsprosessen stoppet før rapporten var ferdig."),
        finished_at=timezone.now(), progress="")
    if unfinished.exists():
        raise input_error("publish", _("en versjon av denne rapporten lages allerede; vent til den er ferdig"),
                          column="format", value=fmt)
    version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
    pub = Publication.objects.create(kind=kind, round=round_, unit=unit, language=lang, format=fmt, version=version,
                                     created_by=user if getattr(user, "is_authenticated", False) else None,
                                     is_demo=round_.is_demo)
    from dugnad.publications.tasks import generate_publication

    transaction.on_commit(lambda: _enqueue(pub, generate_publication))
    return pub


def _enqueue(pub: Publication, task) -> None:
    result = task.enqueue(pub.pk)
    Publication.objects.filter(pk=pub.pk).update(task_id=str(result.id))


def publication_generate(*, publication: Publication) -> Publication:
    """Build, render and store the file of a queued version; the version ends done or failed (with the reason).

    The page shows the reason of an invalid request; any other failure is logged with its traceback and the page
    says only that it failed. Older versions beyond DUGNAD_PUBLICATION_KEEP are then removed.
    """
    Publication.objects.filter(pk=publication.pk).update(state=PublicationState.RUNNING, progress="Bygger dokumentet …")
    try:
        rendered = render(document_build(kind=publication.kind, round_=publication.round, unit=publication.unit,
                                         lang=publication.language), publication.format)
        relative = Path("publications") / publication.filename
        checksum = write_atomic(data_dir() / relative, rendered.content)
    except Exception as exc:
        if isinstance(exc, InputError):
            reason = "; ".join(p.reason for p in exc.report.errors)
        else:
            logger.exception("publication %s failed", publication.pk)
            reason = _("Rapporten kunne ikke lages på grunn av en intern feil. Feilen er logget.")
        Publication.objects.filter(pk=publication.pk).update(
            state=PublicationState.FAILED, error=reason, finished_at=timezone.now(), progress="")
    else:
        Publication.objects.filter(pk=publication.pk).update(
            state=PublicationState.DONE, file_path=str(relative), size=len(rendered.content),
            sha256=checksum, timings=rendered.timings, finished_at=timezone.now(),
            progress="")
    publication.refresh_from_db()
    publication_prune(publication=publication, keep=env_int("DUGNAD_PUBLICATION_KEEP"))
    return publication


@transaction.atomic
def publication_prune(*, publication: Publication, keep: int) -> int:
    """Delete finished versions of the same document, language and format beyond the newest ``keep``, with their
    files; returns how many were removed."""
    finished = (Publication.objects.of(kind=publication.kind, round_=publication.round, unit=publication.unit)
                .filter(language=publication.language, format=publication.format).exclude(state__in=UNFINISHED))
    old = list(finished[max(keep, 1):])
    for version in old:
        if version.file_path:
            path = (data_dir() / version.file_path).resolve()
            if data_dir().resolve() in path.parents:
                transaction.on_commit(lambda p=path: p.unlink(missing_ok=True))
    Publication.objects.filter(pk__in=[v.pk for v in old]).delete()
    return len(old)
