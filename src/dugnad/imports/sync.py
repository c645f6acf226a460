"""SSB sync service: fetch each mapped indicator from PxWebApi v2, make it tidy, transform it and store it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.env import env
from dugnad.imports.connectors.dataset import dataset_to_tidy, sum_over, table_checksum
from dugnad.imports.connectors.errors import SsbError
from dugnad.imports.connectors.mapping import IndicatorMapping, SsbMapping, TableSpec
from dugnad.imports.connectors.pxweb import FetchResult, PxWebClient
from dugnad.imports.connectors.selection import TableMetadata
from dugnad.imports.connectors.transforms import TRANSFORMS
from dugnad.observations.services import ImportResult, observations_import
from dugnad.observations.vocab import RunStatus
from dugnad.units.models import Unit

#: Mapping file used by in-app refreshes (rounds): ``DUGNAD_SSB_MAPPING`` when set, else none.
DEFAULT_MAPPING: str | None = env("DUGNAD_SSB_MAPPING") or None


class SyncStatus(StrEnum):
    """Outcome of one indicator in a sync, with its Norwegian label."""

    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    CHECKED = "checked"
    FAILED = "failed"

    @property
    def label_nb(self) -> str:
        """Norwegian (bokmål) label."""
        return _SYNC_LABELS[self]


_SYNC_LABELS = {SyncStatus.IMPORTED: "Importert", SyncStatus.UNCHANGED: "Uendret", SyncStatus.SKIPPED: "Hoppet over",
                SyncStatus.CHECKED: "Kontrollert", SyncStatus.FAILED: "Feilet"}


@dataclass
class IndicatorSync:
    """What happened to one mapped indicator: status, message, rows and the import result."""

    key: str
    table: str
    status: SyncStatus
    message: str = ""
    rows: int = 0
    result: ImportResult | None = None
    provenance: dict = field(default_factory=dict)


@dataclass
class SyncResult:
    """All indicators of one sync run."""

    items: list[IndicatorSync] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no indicator failed."""
        return all(item.status != SyncStatus.FAILED for item in self.items)


@dataclass
class _Fetched:
    """A tidy table ready to store, with its report and provenance."""

    table: pa.Table
    report: ValidationReport
    provenance: dict


def parse_updated(text: str) -> dt.datetime | None:
    """A table's ``updated`` timestamp as an aware datetime (None when empty or unreadable)."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _as_moment(since: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(since, dt.datetime):
        return since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)


class _Fetcher:
    """Fetches table specs through one client, remembering metadata per table for the run."""

    def __init__(self, client: PxWebClient):
        self.client = client
        self.metadata: dict[tuple[str, str], TableMetadata] = {}

    def meta(self, spec: TableSpec) -> TableMetadata:
        key = (spec.table, spec.lang)
        if key not in self.metadata:
            self.metadata[key] = self.client.metadata(spec.table, spec.lang)
        return self.metadata[key]

    def fetch(self, spec: TableSpec) -> FetchResult:
        meta = self.meta(spec)
        contents = spec.contents_variable or meta.contents_variable or "ContentsCode"
        time = spec.time_variable or meta.time_variable or "Tid"
        values: dict[str, list[str]] = {contents: [spec.contents], spec.region_variable: spec.regions, time: spec.years}
        values.update(spec.filters)
        selection = self.client.selection(
            meta, values,
            codelists={spec.region_variable: spec.codelist} if spec.codelist else None,
            output_values={spec.region_variable: spec.output_values} if spec.output_values else None,
            lang=spec.lang,
        )
        return self.client.fetch(selection, meta, spec.lang)

    def tidy(self, spec: TableSpec, key: str) -> tuple[pa.Table, ValidationReport, FetchResult]:
        fetched = self.fetch(spec)
        read = dataset_to_tidy(fetched.dataset, indicator=key, region_variable=spec.region_variable,
                               name=f"SSB {spec.table}")
        table = sum_over(read.table, spec.sum_over) if spec.sum_over else read.table
        return table, read.report, fetched


def _drop_unknown_units(table: pa.Table, report: ValidationReport, known: set[str], source: str) -> pa.Table:
    """Rows of units in the registry; the others dropped with one warning listing their codes."""
    mask = pc.is_in(table.column("unit"), value_set=pa.array(sorted(known), pa.string()))
    dropped = sorted(set(table.filter(pc.invert(mask)).column("unit").to_pylist()))
    if dropped:
        shown = ", ".join(dropped[:20]) + (f" … ({len(dropped)} in all)" if len(dropped) > 20 else "")
        report.warn(f"regions not in the unit registry were skipped: {shown}", file=source, column="unit")
    return table.filter(mask)


def indicator_fetch(*, item: IndicatorMapping, fetcher: _Fetcher, known_units: set[str] | None) -> _Fetched:
    """Fetch, tidy and transform one mapped indicator (no database writes)."""
    table, report, fetched = fetcher.tidy(item.source, item.key)
    provenance = {**fetched.provenance(), "indicator": item.key, "label": item.label}
    if item.transform is not None:
        spec = TRANSFORMS[item.transform.name]
        if item.transform.denominator is not None:
            denominator, _, den_fetched = fetcher.tidy(item.transform.denominator, item.key)
            table = spec.apply(table, denominator)
            den = den_fetched.provenance()
            provenance["denominator"] = {k: den[k] for k in ("table", "updated", "url", "urls", "retrieved_at")}
        elif item.transform.number is not None:
            table = spec.apply(table, item.transform.number)
        else:
            table = spec.apply(table)
        provenance["transform"] = {"name": item.transform.name, "number": item.transform.number}
    if known_units is not None and item.unknown_units == "skip":
        table = _drop_unknown_units(table, report, known_units, report.source)
    return _Fetched(table, report, provenance)


def _tables_updated_since(item: IndicatorMapping, fetcher: _Fetcher, since: dt.datetime) -> bool:
    specs = [item.source] + ([item.transform.denominator] if item.transform and item.transform.denominator else [])
    for spec in specs:
        updated = parse_updated(fetcher.meta(spec).updated)
        if updated is None or updated > since:
            return True
    return False


def ssb_sync(
    *,
    mapping: SsbMapping,
    client: PxWebClient,
    since: dt.date | dt.datetime | None = None,
    dry_run: bool = False,
    user=None,
    on_progress: Callable[[IndicatorMapping, IndicatorSync | None], None] | None = None,
) -> SyncResult:
    """Sync every mapped indicator from SSB; each indicator is one all-or-nothing import run.

    ``since`` skips indicators whose tables' ``updated`` is not newer. ``dry_run`` fetches and
    validates against the database without writing. Unchanged figures make a ``noop`` run; changed
    figures become new revisions (see :func:`dugnad.observations.services.observations_import`).
    """
    fetcher = _Fetcher(client)
    moment = _as_moment(since) if since is not None else None
    result = SyncResult()
    for item in mapping.indicators:
        if on_progress:
            on_progress(item, None)
        outcome = _sync_one(item=item, fetcher=fetcher, since=moment, dry_run=dry_run, user=user, mapping=mapping)
        result.items.append(outcome)
        if on_progress:
            on_progress(item, outcome)
    return result


def _sync_one(*, item: IndicatorMapping, fetcher: _Fetcher, since: dt.datetime | None, dry_run: bool, user,
              mapping: SsbMapping) -> IndicatorSync:
    """Sync one indicator; SSB and input problems become a failed outcome, never an exception."""
    outcome = IndicatorSync(key=item.key, table=item.source.table, status=SyncStatus.FAILED)
    try:
        if since is not None and not _tables_updated_since(item, fetcher, since):
            outcome.status = SyncStatus.SKIPPED
            outcome.message = f"not updated since {since.date().isoformat()} (updated {fetcher.meta(item.source).updated})"
            return outcome
        known = set(Unit.objects.values_list("code", flat=True)) if item.unknown_units == "skip" else None
        fetched = indicator_fetch(item=item, fetcher=fetcher, known_units=known)
    except SsbError as exc:
        outcome.message = f"{item.key}: {exc}"
        return outcome
    except InputError as exc:
        outcome.message = f"{item.key}: {exc.report.as_text()}"
        return outcome
    provenance = {**fetched.provenance, "mapping": mapping.path}
    outcome.provenance = provenance
    outcome.rows = fetched.table.num_rows
    imported = observations_import(
        table=fetched.table,
        source=f"{fetcher.client.base_url}/tables/{item.source.table}/data",
        kind="ssb",
        checksum=table_checksum(fetched.table),
        user=user,
        provenance=provenance,
        report=fetched.report,
        dry_run=dry_run,
        harmonised=True,  # SSB series come on today's codes (agg_KommSummer) for earlier years too
    )
    outcome.result = imported
    outcome.message = imported.summary()
    if not imported.ok:
        outcome.status = SyncStatus.FAILED
        errors = imported.report.errors
        outcome.message += " " + "; ".join(str(p) for p in errors[:5])
    elif dry_run:
        outcome.status = SyncStatus.CHECKED
    else:
        outcome.status = SyncStatus.UNCHANGED if imported.status is RunStatus.NOOP else SyncStatus.IMPORTED
    return outcome
