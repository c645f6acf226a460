"""File upload from the web: a file in any readable format for one unit, checked with the grid's bounds.

``upload_import`` reads the file with the format registry (locations kept), checks that every row belongs to
the unit and keeps the bounds the grid applies (percentages 0–100; a round's indicators and years when the
upload comes from a submission), and imports it all-or-nothing through the observation store — or, as a
dry run, only reports what would happen.

Between the check and the confirmation the web keeps the checked file in a private temporary directory
(``UPLOAD_DIR``, ``dugnad-uploads`` under the system's temporary directory): ``upload_keep`` stores it,
``upload_kept`` reads it back (only when its checksum still matches), ``upload_forget`` deletes it after the
import or a cancel, and ``uploads_sweep`` (run at every ``upload_keep``) deletes files older than a day that
an abandoned check left behind.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import units_editable_by, units_reviewable_by
from dugnad.analytics.formats import InputSource, read_located
from dugnad.analytics.formats.normalise import flag_rows
from dugnad.analytics.report import ValidationReport
from dugnad.catalogue.selectors import indicators_for_level
from dugnad.common.files import sha256_hex
from dugnad.observations.bounds import check_bounds
from dugnad.observations.services import ImportResult, observations_import

#: The largest file the web upload accepts.
MAX_UPLOAD_BYTES = 20 << 20
#: Where checked files wait for the confirmation (private: the directory 0700, each file 0600).
UPLOAD_DIR = Path(tempfile.gettempdir()) / "dugnad-uploads"
#: Kept files older than this are deleted by ``uploads_sweep``.
UPLOAD_MAX_AGE = dt.timedelta(days=1)


def upload_keep(data: bytes) -> str:
    """Store checked bytes privately until the confirmation; the token naming them. Sweeps old files first."""
    uploads_sweep()
    UPLOAD_DIR.mkdir(mode=0o700, exist_ok=True)
    token = secrets.token_hex(16)
    with open(os.open(UPLOAD_DIR / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(data)
    return token


def _path(token: object) -> Path | None:
    """The kept file of a token, or None for anything that is not a plain token."""
    token = str(token or "")
    return UPLOAD_DIR / token if token.isalnum() and token.isascii() else None


def upload_kept(token: object, checksum: object) -> bytes | None:
    """The kept bytes of ``token`` when they still match ``checksum``; else None."""
    path = _path(token)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if sha256_hex(data) == checksum else None


def upload_forget(token: object) -> None:
    """Delete the kept file of ``token`` (after the import, or when the user cancels)."""
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def uploads_sweep(max_age: dt.timedelta = UPLOAD_MAX_AGE, now: float | None = None) -> int:
    """Delete kept files last changed more than ``max_age`` ago (checks nobody confirmed); how many went."""
    limit = (time.time() if now is None else now) - max_age.total_seconds()
    removed = 0
    try:
        entries = list(os.scandir(UPLOAD_DIR))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def can_upload(user, unit) -> bool:
    """Whether the user may upload data for the unit: its editor, or a coordinator whose scope holds it."""
    return (units_editable_by(user).filter(pk=unit.pk).exists()
            or units_reviewable_by(user).filter(pk=unit.pk).exists())


def upload_import(*, user, unit, data: bytes, name: str, dry_run: bool, round_=None) -> ImportResult:
    """Import an uploaded file for ``unit`` all-or-nothing (or only check it when ``dry_run``).

    ``round_`` (optional, from a submission page) limits indicators and years to the round's. Raises
    ``PermissionDenied`` when the user may not upload for the unit.
    """
    if not can_upload(user, unit):
        raise PermissionDenied(_("Du kan ikke laste opp data for denne enheten."))
    read = read_located(InputSource.of(data, name=name), duplicates=False)
    # the round's indicators the unit's level reports (a municipality has no county-level indicators)
    indicator_ids = ({i.pk for i in indicators_for_level(round_.indicators.all(), unit.level.code)}
                     if round_ is not None else None)
    periods = list(round_.periods) if round_ is not None else None

    def bounds(table: pa.Table, report: ValidationReport, file: str | None) -> None:
        flag_rows(report, table, pc.not_equal(table.column("unit_id"), unit.pk),
                  f"the row is for another unit; this upload is for {unit.code} {unit.name}", "unit", file)
        if indicator_ids is not None:
            outside = pc.invert(pc.is_in(table.column("indicator_id"), pa.array(sorted(indicator_ids), pa.int64())))
            flag_rows(report, table, outside, "Indikatoren er ikke med i runden.", "indicator", file)
        if periods is not None:
            outside = pc.invert(pc.is_in(table.column("period"), pa.array(periods, pa.string())))
            flag_rows(report, table, outside, "Året er ikke med i runden.", "period", file)
        check_bounds(table, report, file)

    provenance = {"file": name, "bytes": len(data), "reader": read.format or "", "unit": unit.code}
    return observations_import(table=read.table, source=name, kind="upload", checksum=sha256_hex(data), user=user,
                               provenance=provenance, report=read.report, dry_run=dry_run, check=bounds)
