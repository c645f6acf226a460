"""Writes of publications: build and render a document to a file, request a kept version, generate it in a task."""

from __future__ import annotations

import traceback
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dugnad.common.files import write_atomic
from dugnad.env import data_dir
from dugnad.publications.builders import BUILDERS
from dugnad.publications.builders.errors import check_language, input_error
from dugnad.publications.document import Document
from dugnad.publications.models import Publication
from dugnad.publications.renderers import Rendered, render
from dugnad.publications.vocab import DocumentKind, PublicationFormat, PublicationState
from dugnad.rounds.models import Round
from dugnad.units.models import Unit


def _builders() -> dict:
    from dugnad.publications.builders import county, vlr, vsr  # noqa: F401  (register the built-ins)

    return BUILDERS


def document_build(*, kind: str, round_: Round, unit: Unit | None, lang: str) -> Document:
    """The document of a kind for a round (and unit), in the language; InputError when the request cannot be met."""
    check_language(lang)
    builders = _builders()
    if kind not in builders:
        raise input_error("publish", f"ukjent dokumenttype; velg ett av {', '.join(builders)}", column="kind", value=kind)
    if kind == DocumentKind.VSR:
        return builders[kind](round_=round_, lang=lang)
    if unit is None:
        raise input_error("publish", "dokumenttypen krever en enhet", column="--unit")
    return builders[kind](round_=round_, unit=unit, lang=lang)


def publication_render_file(*, kind: str, round_: Round, unit: Unit | None, lang: str, out: Path) -> Rendered:
    """Build and render a document to ``out`` (format from the extension: .pdf or .html)."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in PublicationFormat.values:
        raise input_error("publish", "filen må slutte på .pdf eller .html", column="--out", value=str(out))
    rendered = render(document_build(kind=kind, round_=round_, unit=unit, lang=lang), fmt)
    write_atomic(out, rendered.content)
    return rendered


@transaction.atomic
def publication_request(*, user, kind: str, round_: Round, unit: Unit | None, lang: str = "nb",
                        fmt: str = PublicationFormat.PDF) -> Publication:
    """Record a new queued version of the document and enqueue its generation once the transaction commits."""
    check_language(lang)
    if fmt not in PublicationFormat.values:
        raise input_error("publish", "ukjent format; velg pdf eller html", column="format", value=fmt)
    latest = Publication.objects.of(kind=kind, round_=round_, unit=unit).filter(language=lang, format=fmt)
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
    """Build, render and store the file of a queued version; the version ends done or failed (with the error)."""
    Publication.objects.filter(pk=publication.pk).update(state=PublicationState.RUNNING, progress="Bygger dokumentet …")
    try:
        rendered = render(document_build(kind=publication.kind, round_=publication.round, unit=publication.unit,
                                         lang=publication.language), publication.format)
        relative = Path("publications") / publication.filename
        checksum = write_atomic(data_dir() / relative, rendered.content)
    except Exception as exc:
        Publication.objects.filter(pk=publication.pk).update(
            state=PublicationState.FAILED, error=f"{exc}\n\n{traceback.format_exc(limit=5)}", finished_at=timezone.now(),
            progress="")
    else:
        Publication.objects.filter(pk=publication.pk).update(
            state=PublicationState.DONE, file_path=str(relative), size=len(rendered.content),
            sha256=checksum, timings=rendered.timings, finished_at=timezone.now(),
            progress="")
    publication.refresh_from_db()
    return publication
