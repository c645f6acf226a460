"""File upload from the web: a file in any readable format for one unit, checked with the grid's bounds.

``upload_import`` reads the file with the format registry (locations kept), checks that every row belongs to
the unit and keeps the bounds the grid applies (percentages 0–100; a round's indicators and years when the
upload comes from a submission), and imports it all-or-nothing through the observation store — or, as a
dry run, only reports what would happen.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from django.core.exceptions import PermissionDenied

from dugnad.accounts.permissions import units_editable_by, units_reviewable_by
from dugnad.analytics.formats import InputSource, read_located
from dugnad.analytics.formats.normalise import flag_rows
from dugnad.analytics.report import ValidationReport
from dugnad.common.files import sha256_hex
from dugnad.observations.bounds import check_bounds
from dugnad.observations.services import ImportResult, observations_import

#: The largest file the web upload accepts.
MAX_UPLOAD_BYTES = 20 << 20


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
        raise PermissionDenied("Du kan ikke laste opp data for denne enheten.")
    read = read_located(InputSource.of(data, name=name), duplicates=False)
    indicator_ids = set(round_.indicators.values_list("pk", flat=True)) if round_ is not None else None
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
