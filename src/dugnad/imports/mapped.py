"""Mapping import: a real-world CSV read with a YAML mapping and imported all-or-nothing through the store.

``mapping_import`` reads the mapping (``analytics.formats.mapping``), resolves unit names with the registry
(``units.selectors.unit_name_lookup``), checks the grid's bounds and imports through the one door of the
observation store (``observations_import``). The mapping's ``source`` block is kept in the run's provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from dugnad.analytics.formats.mapping import Mapping, load_mapping, mapping_provenance, read_mapped
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.common.files import sha256_hex
from dugnad.observations.bounds import check_bounds
from dugnad.observations.services import ImportResult, observations_import
from dugnad.observations.vocab import RunStatus
from dugnad.units.selectors import unit_name_lookup


@dataclass(frozen=True)
class MappedRead:
    """A file read with a mapping: the tidy table (with locations) and its report."""

    mapping: Mapping
    table: pa.Table
    report: ValidationReport


def mapped_read(*, data: bytes, name: str, mapping: Mapping) -> MappedRead:
    """Read ``data`` (a file called ``name``) with ``mapping``; unit names resolved with the registry."""
    names = unit_name_lookup(scope=mapping.unit_scope, level=mapping.unit_level) if mapping.unit_by == "name" else None
    read = read_mapped(data, mapping, file=name, names=names)
    return MappedRead(mapping=mapping, table=read.table, report=read.report)


def mapping_import(*, data: bytes, name: str, mapping: Mapping | Path | bytes, dry_run: bool = False, user=None,
                   provenance: dict | None = None) -> ImportResult:
    """Import a file with a mapping all-or-nothing (or only check it when ``dry_run``).

    A mapping that does not load is a failed result whose report names the mapping's keys.
    """
    if not isinstance(mapping, Mapping):
        try:
            mapping = load_mapping(mapping)
        except InputError as exc:
            return ImportResult(status=RunStatus.FAILED, report=exc.report, dry_run=dry_run)
    read = mapped_read(data=data, name=name, mapping=mapping)
    value_column = mapping.value_column

    def bounds(table: pa.Table, report: ValidationReport, file: str | None) -> None:
        check_bounds(table, report, file, column=value_column)

    return observations_import(
        table=read.table, source=name, kind="mapping", checksum=sha256_hex(data), user=user,
        provenance={**(provenance or {}), **mapping_provenance(mapping)}, report=read.report, dry_run=dry_run,
        check=bounds)
