"""Fixtures of publication tests: the published world and a text extractor for PDFs."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.publications.factories import published_world


@pytest.fixture
def published(db):
    """The published test world (three delivered submissions, a score run)."""
    return published_world()


def pdf_text(content: bytes, tmp_path) -> list[str]:
    """The text of each page of a PDF (pdftotext), whitespace collapsed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]
