"""Reads of publications: kept versions of a document and the file of a finished version."""

from __future__ import annotations

from pathlib import Path

from dugnad.env import data_dir
from dugnad.publications.models import Publication


def publication_versions(*, kind: str, round_, unit=None) -> list[Publication]:
    """Every kept version of a document (all languages and formats), newest first."""
    return list(Publication.objects.filter(kind=kind, round=round_, unit=unit).order_by("-created_at", "-pk"))


def publication_file(publication: Publication) -> Path | None:
    """The path of a finished version's file, or None when it is not done or the file is gone."""
    if publication.state != "done" or not publication.file_path:
        return None
    path = (data_dir() / publication.file_path).resolve()
    return path if path.is_file() and data_dir().resolve() in path.parents else None


def publication_get(pk: int) -> Publication | None:
    """The version with this id (with round and unit), or None."""
    return Publication.objects.select_related("round", "unit").filter(pk=pk).first()
