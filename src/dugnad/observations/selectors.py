"""Reads of stored observations and of the import runs behind them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection
from django.db.models import Q, QuerySet

from dugnad.analytics.carry import SEPARATOR, Carried, carry_table, kinds_from_aggregation
from dugnad.analytics.codes import ValueKind
from dugnad.analytics.formats.normalise import parse_dimension_key
from dugnad.catalogue.models import Indicator
from dugnad.catalogue.selectors import indicator_specs_current
from dugnad.observations import bulk
from dugnad.observations.codes import IndicatorCodeBook
from dugnad.observations.models import ImportRun, Observation
from dugnad.observations.vocab import RunStatus
from dugnad.units.models import Unit
from dugnad.units.selectors import CarryContext, carry_context, kept_carry_context

_STORED = pa.schema([
    ("unit", pa.string()), ("indicator_id", pa.int64()), ("period", pa.string()), ("dimension_key", pa.string()),
    ("value", pa.float64()), ("status", pa.string()), ("revision", pa.int64()), ("is_current", pa.bool_()),
    ("import_run", pa.int64()), ("is_demo", pa.bool_()),
])


def unit_indicator_table(unit, *, lang: str = "nb") -> list[dict]:
    """The latest available value of each indicator of a unit (totals only, no disaggregation), with its spec;
    values stored under a predecessor's code count (carried across reforms, ``origin`` says from where)."""
    return unit_indicator_tables(unit, langs=(lang,))[lang]


def unit_indicator_tables(unit, *, langs: Iterable[str]) -> dict[str, list[dict]]:
    """``unit_indicator_table`` in several languages at once: the values are read and carried once, only the
    «videreført fra …» origin is written per language (the public unit page in nb, nn and en)."""
    langs = tuple(langs)
    table = _unit_indicator_table(unit, lang=langs[0])
    if len(langs) == 1:
        return {langs[0]: table}
    context = kept_carry_context(on=dt.date.today())
    return {lang: table if lang == langs[0] else
            [{**row, "origin": context.origin(row["carried_from"], lang=lang) if row["carried_from"] else ""}
             for row in table] for lang in langs}


def _unit_indicator_table(unit, *, lang: str) -> list[dict]:
    latest: dict[int, dict] = {}
    for row in unit_series_carried(unit, on=dt.date.today(), lang=lang):
        if row["value"] is not None and (row["indicator_id"] not in latest
                                         or row["period"] >= latest[row["indicator_id"]]["period"]):
            latest[row["indicator_id"]] = row
    specs = {spec.indicator_id: spec for spec in indicator_specs_current(indicators=list(latest))}
    measures = dict(Indicator.objects.filter(pk__in=list(latest)).values_list("pk", "unit_of_measure"))
    origins = _latest_provenances(unit, latest)
    table = []
    for indicator_id, row in latest.items():
        spec = specs.get(indicator_id)
        table.append({
            "code": row["code"],
            "name": row["name"],
            "goal": spec.goal_id if spec else None,
            "unit_of_measure": spec.unit_of_measure if spec else measures.get(indicator_id, ""),
            "period": row["period"],
            "value": row["value"],
            "origin": row["origin"],
            "carried_from": row["carried_from"],
            "provenance": origins.get(indicator_id),
        })
    return sorted(table, key=lambda r: (r["goal"] or 99, r["code"]))


def _latest_provenances(unit, latest: dict[int, dict]) -> dict[int, object]:
    """Per indicator, where the value in ``latest`` (indicator id → row of ``unit_series_carried``) comes from: its
    import run's provenance; a value carried from predecessors is demo when any of its sources is (two queries)."""
    from dugnad.observations.provenance import DEMO_VALUE, provenances

    if not latest:
        return {}
    sources = {unit.code} | {c for row in latest.values() for c in (row.get("carried_from") or "").split(SEPARATOR) if c}
    rows = list(Observation.objects.current().filter(
        unit__code__in=sources, dimension_key="", indicator_id__in=list(latest),
        period__in={row["period"] for row in latest.values()}).exclude(value=None)
        .values_list("unit__code", "indicator_id", "period", "import_run_id"))
    found = provenances({r for *_, r in rows})
    out: dict[int, object] = {}
    for indicator_id, row in latest.items():
        wanted = {c for c in (row.get("carried_from") or "").split(SEPARATOR) if c} or {unit.code}
        runs = [found[r] for code, ind, period, r in rows
                if ind == indicator_id and period == row["period"] and code in wanted]
        if runs:
            out[indicator_id] = DEMO_VALUE if any(p.is_demo for p in runs) else runs[0]
    return out


def value_demo_counts(*, units: Iterable | None = None, levels: Iterable[str] | None = None,
                      indicators: Iterable | None = None, periods: Iterable[str] | None = None,
                      by: tuple[str, ...] = ("unit_id",)) -> dict[tuple, tuple[int, int]]:
    """``(by fields…) → (demo values, values)`` among current totals with a value of ``units`` (or of units of
    ``levels``), one query: what a publication table says as «X av Y verdier er demodata»
    (``observations.provenance.demo_share_text``). ``by`` are Observation lookups (``unit_id``, ``indicator_id``,
    ``period``, ``unit__level__code``); ``by=()`` gives one total under the key ``()``."""
    from django.db.models import Count

    from dugnad.observations.provenance import is_demo_run

    rows = Observation.objects.current().filter(dimension_key="").exclude(value=None)
    if units is not None:
        rows = rows.filter(unit__in=list(units))
    if levels is not None:
        rows = rows.filter(unit__level__code__in=list(levels))
    if indicators is not None:
        rows = rows.filter(indicator__in=list(indicators))
    if periods is not None:
        rows = rows.filter(period__in=[str(p) for p in periods])
    out: dict[tuple, list[int]] = {}
    for *key, kind, is_demo, n in rows.values_list(*by, "import_run__kind", "import_run__is_demo").annotate(
            n=Count("pk")).order_by():
        counts = out.setdefault(tuple(key), [0, 0])
        counts[0] += n if is_demo_run(kind, is_demo) else 0
        counts[1] += n
    return {k: (v[0], v[1]) for k, v in out.items()}


def observation_history(unit, indicator, period: str, dimension_key: str = "") -> list[Observation]:
    """All revisions of one observation (unit × indicator × period × disaggregation), oldest first."""
    return list(
        Observation.objects.filter(unit=unit, indicator=indicator, period=period, dimension_key=dimension_key)
        .select_related("import_run")
        .order_by("revision")
    )


def _unit_ids(units: Iterable) -> list[int]:
    """Ids of the units given as Unit objects, ids or codes (a code selects every unit that used it)."""
    ids, codes = [], []
    for unit in units:
        if isinstance(unit, Unit):
            ids.append(unit.pk)
        elif isinstance(unit, int):
            ids.append(unit)
        else:
            codes.append(str(unit))
    return ids + list(Unit.objects.filter(code__in=codes).values_list("id", flat=True))


def _indicator_ids(indicators: Iterable, book: IndicatorCodeBook) -> list[int]:
    """Ids of the indicators given as Indicator objects, ids or codes (``framework:code`` for shared codes)."""
    ids = []
    for indicator in indicators:
        if isinstance(indicator, Indicator):
            ids.append(indicator.pk)
        elif isinstance(indicator, int):
            ids.append(indicator)
        else:
            found = book.resolve(str(indicator))
            if found.id is None:
                raise ValueError(f"{indicator}: {found.reason}")
            ids.append(found.id)
    return ids


def observations_table(*, units: Iterable | None = None, indicators: Iterable | None = None,
                       current_only: bool = True, with_provenance: bool = False) -> pa.Table:
    """Stored observations as a tidy Arrow table: ``unit, indicator, period, <dimensions…>, value, status``.

    ``unit`` is the unit code, ``indicator`` the indicator code (``framework:code`` when the code is
    shared by several frameworks). ``units``/``indicators`` filter by objects, ids or codes. With
    ``current_only=False`` every revision is returned and ``revision``/``is_current`` columns are added;
    ``with_provenance`` adds ``revision``, ``is_current``, ``import_run`` and ``is_demo``. Sorted by
    unit, indicator, period, dimensions and revision.
    """
    book = IndicatorCodeBook()
    qn = connection.ops.quote_name
    runs = ImportRun._meta.db_table
    where, params = [], []
    if current_only:
        where.append("o.is_current = %s")
        params.append(True)
    for column, ids in (("o.unit_id", None if units is None else _unit_ids(units)),
                        ("o.indicator_id", None if indicators is None else _indicator_ids(indicators, book))):
        if ids is not None:
            where.append(f"{column} IN ({', '.join(['%s'] * len(ids))})" if ids else "1 = 0")
            params.extend(ids)
    sql = (
        "SELECT u.code, o.indicator_id, o.period, o.dimension_key, o.value, o.status, o.revision, o.is_current, "
        f"o.import_run_id, r.is_demo FROM {qn(Observation._meta.db_table)} o "
        f"JOIN {qn(Unit._meta.db_table)} u ON u.id = o.unit_id "
        f"LEFT JOIN {qn(runs)} r ON r.id = o.import_run_id"
        + (f" WHERE {' AND '.join(where)}" if where else "")
    )
    stored = bulk.fetch_table(sql, params, _STORED)
    labels = book.labels()
    ids = stored.column("indicator_id").to_pylist()
    columns: dict[str, pa.Array] = {
        "unit": stored.column("unit"),
        "indicator": pa.array([labels[i] for i in ids], type=pa.string()),
        "period": stored.column("period"),
    }
    keys = stored.column("dimension_key")
    parsed = {key: parse_dimension_key(key) for key in pc.unique(keys).to_pylist()}
    dims = sorted({name for value in parsed.values() for name in value})
    key_list = keys.to_pylist() if dims else []
    for name in dims:
        per_key = {key: value.get(name, "") for key, value in parsed.items()}
        columns[name] = pa.array([per_key[k] for k in key_list], type=pa.string())
    columns["value"] = stored.column("value")
    columns["status"] = stored.column("status")
    extra = ["revision", "is_current"] if with_provenance or not current_only else []
    extra += ["import_run", "is_demo"] if with_provenance else []
    for name in extra:
        columns[name] = stored.column(name)
    if "is_demo" in columns:
        columns["is_demo"] = pc.fill_null(columns["is_demo"], False)
    table = pa.table(columns)
    order = ["unit", "indicator", "period", *dims] + (["revision"] if "revision" in columns else [])
    return table.sort_by([(name, "ascending") for name in order])


def import_runs(*, kind: str | None = None, status: RunStatus | str | None = None, limit: int = 50) -> QuerySet:
    """The latest import runs, newest first, optionally of one kind and status."""
    runs = ImportRun.objects.select_related("user").order_by("-started_at", "-id")
    if kind:
        runs = runs.filter(kind=kind)
    if status:
        runs = runs.filter(status=str(status))
    return runs[:limit]


def import_run_latest(*, source: str, kind: str | None = None) -> ImportRun | None:
    """The latest successful or no-op run of a source (e.g. to show when a table was last synced)."""
    runs = ImportRun.objects.filter(source=source, status__in=[RunStatus.OK, RunStatus.NOOP])
    if kind:
        runs = runs.filter(kind=kind)
    return runs.order_by("-started_at", "-id").first()


def has_demo_data() -> bool:
    """Whether any observations come from a demo import (the UI then shows «Demodata – ikke ekte tall»)."""
    return ImportRun.objects.filter(is_demo=True, status=RunStatus.OK).exists()


def demo_import_exists() -> bool:
    """Whether any import run is marked as demo data (the pages then show the demo label)."""
    return ImportRun.objects.filter(is_demo=True).exists()


def data_mix() -> str:
    """``demo`` when the imports hold demo data only (besides values entered by the units), ``mixed`` when real
    sources are loaded too, '' without demo data (two ``exists`` queries; the rule is ``observations.provenance``)."""
    from dugnad.observations.provenance import ENTERED_KINDS

    if not ImportRun.objects.filter(Q(is_demo=True) | Q(kind="demo")).exists():
        return ""
    real = (ImportRun.objects.filter(is_demo=False, status=RunStatus.OK).exclude(kind="demo")
            .exclude(kind__in=sorted(ENTERED_KINDS)).exists())
    return "mixed" if real else "demo"


def provenance_notes(table: pa.Table, *, lang: str = "nb") -> pa.Array:
    """The ``note`` of each row of an ``observations_table(with_provenance=True)`` (or carried) table: the demo label
    on demo rows, «Kilde: … (lisens …)» on values from a real source, «Registrert av kommunen» on entered ones
    (``observations.provenance``; one query for the runs). A carried table has no ``import_run`` column: its
    non-demo rows name the sources of the indicator's current values (one more query, over the indicators of
    non-demo rows only: a demo row's note is the demo label whatever its sources)."""
    from dugnad.common.labels import demo_label
    from dugnad.observations.provenance import ENTERED_VALUE as entered
    from dugnad.observations.provenance import provenances

    if table.num_rows == 0:
        return pa.array([], pa.string())
    demo = pc.fill_null(table.column("is_demo"), False).to_pylist() if "is_demo" in table.column_names else None
    if "import_run" in table.column_names:
        runs = table.column("import_run").to_pylist()
        found = provenances(set(runs))
        notes = [found.get(r, entered).note(lang) for r in runs]
    else:
        labels = indicator_labels()
        ids = {label: pk for pk, label in labels.items()}
        real = table if demo is None else table.filter(pc.invert(pc.fill_null(table.column("is_demo"), False)))
        wanted = sorted(ids[i] for i in set(real.column("indicator").to_pylist()) if i in ids)
        pairs = set(Observation.objects.current().filter(indicator_id__in=wanted)
                    .values_list("indicator_id", "import_run_id").order_by().distinct()) if wanted else set()
        found = provenances({r for _, r in pairs})
        by_indicator: dict[str, set[str]] = {}
        for indicator_id, run in pairs:
            if not found.get(run, entered).is_demo:
                by_indicator.setdefault(labels[indicator_id], set()).add(found.get(run, entered).note(lang))
        notes = ["; ".join(sorted(by_indicator.get(i, ()))) for i in table.column("indicator").to_pylist()]
    if demo is not None:
        notes = [demo_label(lang) if d else n for d, n in zip(demo, notes, strict=True)]
    return pa.array(notes, pa.string())


def unit_value_provenances(unit, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """``(indicator code, period) → Provenance`` of a unit's current totals (two queries: values, runs)."""
    from dugnad.observations.provenance import provenances

    pairs = {(code, str(period)) for code, period in pairs if code and period}
    if not pairs:
        return {}
    rows = list(Observation.objects.current().filter(
        unit=unit, dimension_key="", indicator__code__in={c for c, _ in pairs}, period__in={p for _, p in pairs})
        .values_list("indicator__code", "period", "import_run_id"))
    found = provenances({r for *_, r in rows})
    return {(code, period): found[run] for code, period, run in rows if (code, period) in pairs}


def indicator_value_kinds(*, on: dt.date | None = None, labels: Iterable[str] | None = None) -> dict[str, ValueKind]:
    """How each indicator's values combine when carried (by the label ``observations_table`` writes):
    counts when the spec in force says ``aggregation = sum``, rates otherwise. ``labels``: of those indicators only
    (a unit's carried read asks for its few dozen, not the ~500 specs)."""
    book = IndicatorCodeBook().labels()
    asked = None if labels is None else set(labels)
    wanted = None if asked is None else [pk for pk, label in book.items() if label in asked]
    return kinds_from_aggregation({book[s.indicator_id]: s.aggregation
                                   for s in indicator_specs_current(on=on, indicators=wanted) if s.indicator_id in book})


def observations_carried(*, on: dt.date, units: Iterable | None = None, indicators: Iterable | None = None,
                         with_provenance: bool = False, context: CarryContext | None = None) -> Carried:
    """Stored current observations carried onto the units in force on ``on`` (``dugnad.analytics.carry``):
    the table of ``observations_table`` with ``unit`` the code valid on ``on`` plus ``carried_from`` (the
    original codes, '' when not carried) and ``carry_weighting``. ``units`` (codes or Unit objects valid on
    ``on``) select the carried units: their predecessors' values are read too. With ``with_provenance``
    an ``is_demo`` column says whether any source came from a demo import.

    A value stored under the unit's own code wins over values carried from its predecessors for the same
    indicator, period and dimensions (SSB republishes old years on the new codes): it is kept as stored
    (``carried_from`` ''), not summed or averaged with theirs (``carry_table(own_wins=True)``)."""
    context = context or carry_context(on=on)
    sources = None
    if units is not None:
        codes = {u.code if isinstance(u, Unit) else str(u) for u in units}
        sources = sorted({c for code in codes for c in context.sources_of(code)})
    table = observations_table(units=sources, indicators=indicators, with_provenance=with_provenance)
    table = table.drop_columns([c for c in ("revision", "is_current", "import_run") if c in table.column_names])
    kinds = indicator_value_kinds(labels=None if units is None else pc.unique(table.column("indicator")).to_pylist())
    carried = carry_table(table, context.history, on=on, kinds=kinds,
                          weights=context.weights, valid_codes=context.valid_codes, own_wins=True)
    if units is not None:
        carried.table = carried.table.filter(pc.is_in(carried.table.column("unit"), pa.array(sorted(codes), pa.string())))
    return carried


_STANDARD = {"unit", "indicator", "period", "value", "status", "carried_from", "carry_weighting", "is_demo"}


def carried_values(*, on: dt.date, indicators: Iterable, units: Iterable | None = None,
                   periods: Iterable[str] | None = None, lang: str = "nb",
                   context: CarryContext | None = None, carried_only: bool = False) -> list[dict]:
    """The one read path of maps, reviews and the portal for values of units: current totals (no disaggregation)
    carried onto the units in force on ``on`` (``observations_carried``), so a value stored under a pre-reform
    code appears on its successor (Halden 3001 → 3101; Drammen 0602 + 0625 + 0711 → 3301).

    Rows: ``unit`` (code valid on ``on``), ``indicator_id``, ``period``, ``value``, ``status``, ``carried_from``
    (the original codes joined by ``+``, '' when stored under the unit's own code), ``origin`` (for people:
    «videreført fra 3001 Halden», in ``lang``) and ``is_demo``; sorted by unit, indicator and period.
    ``units`` (codes or Unit objects valid on ``on``) limit the units; ``periods`` the periods.

    A value stored under the unit's own code wins over values carried from its predecessors for the same
    indicator and period (SSB republishes old years on the new codes): it is not summed or averaged with them.

    ``carried_only``: only the rows that stay carried (those the portal's snapshot adds to its series), without
    making a row of each of the ~170,000 values stored under their own codes."""
    context = context or carry_context(on=on)
    table = observations_carried(on=on, units=units, indicators=list(indicators), with_provenance=True,
                                 context=context).table
    if table.num_rows == 0:
        return []
    dimensions = [c for c in table.column_names if c not in _STANDARD]
    ids = {label: pk for pk, label in indicator_labels().items()}
    wanted = set(periods) if periods is not None else None
    if carried_only:
        table = table.filter(pc.not_equal(pc.fill_null(table.column("carried_from"), ""), ""))
    rows = []
    for row in table.to_pylist():
        if any(row[d] for d in dimensions) or (wanted is not None and row["period"] not in wanted):
            continue
        rows.append({"unit": row["unit"], "indicator_id": ids.get(row["indicator"]), "period": row["period"],
                     "value": row["value"], "status": row["status"], "carried_from": row["carried_from"] or "",
                     "origin": context.origin(row["carried_from"] or "", lang=lang),
                     "is_demo": bool(row.get("is_demo"))})
    return rows


def latest_carried_values(*, on: dt.date, indicator, units: Iterable | None = None, lang: str = "nb",
                          period: str | None = None) -> dict[str, dict]:
    """``unit code → row of carried_values`` for one indicator: the latest period with a value (or ``period``)
    per unit — what a map of the indicator colours each unit by."""
    latest: dict[str, dict] = {}
    for row in carried_values(on=on, indicators=[indicator], units=units, lang=lang,
                              periods=[period] if period else None):
        if row["value"] is not None and (row["unit"] not in latest or row["period"] >= latest[row["unit"]]["period"]):
            latest[row["unit"]] = row
    return latest


def unit_series_carried(unit: Unit, *, on: dt.date, lang: str = "nb", indicators: Iterable | None = None,
                        periods: Iterable[str] | None = None) -> list[dict]:
    """The unit's current totals (no disaggregation) carried across reforms onto it, oldest period first per
    indicator: ``indicator_id, code, name, period, value, status, carried_from, origin`` (the origin for people,
    «videreført fra 3001 Halden», '' when stored under the unit's own code). A value stored under the unit's
    own code wins over values carried from its predecessors for the same indicator and period. Two queries for a unit without
    predecessors; five when predecessors' rates are averaged."""
    context = kept_carry_context(on=on)
    sources = context.sources_of(unit.code)
    rows = Observation.objects.current().filter(unit__code__in=sources, dimension_key="")
    if indicators is not None:
        rows = rows.filter(indicator__in=[getattr(i, "pk", i) for i in indicators])
    if periods is not None:
        rows = rows.filter(period__in=list(periods))
    stored = list(rows.values_list("unit__code", "indicator_id", "indicator__code", "indicator__name_nb",
                                   "period", "value", "status"))
    if not stored:
        return []
    names = {ind: (code, name) for _, ind, code, name, *_ in stored}
    if sources == {unit.code}:  # nothing to carry: the values as stored
        return sorted(({"indicator_id": ind, "code": code, "name": name, "period": period, "value": value,
                        "status": status, "carried_from": "", "origin": ""}
                       for _, ind, code, name, period, value, status in stored), key=lambda r: (r["code"], r["period"]))
    kinds = kinds_from_aggregation({str(s.indicator_id): s.aggregation
                                    for s in indicator_specs_current(indicators=list(names))})
    several = len({r[0] for r in stored}) > 1 and ValueKind.RATE in kinds.values()
    table = pa.table({
        "unit": pa.array([r[0] for r in stored], pa.string()), "indicator": pa.array([str(r[1]) for r in stored], pa.string()),
        "period": pa.array([r[4] for r in stored], pa.string()), "value": pa.array([r[5] for r in stored], pa.float64()),
        "status": pa.array([r[6] for r in stored], pa.string()),
    })
    carried = carry_table(table, context.history, on=on, kinds=kinds, weights=context.weights if several else None,
                          valid_codes={unit.code}, own_wins=True).table
    out = []
    for row in carried.to_pylist():
        indicator_id = int(row["indicator"])
        code, name = names[indicator_id]
        out.append({"indicator_id": indicator_id, "code": code, "name": name, "period": row["period"],
                    "value": row["value"], "status": row["status"], "carried_from": row["carried_from"],
                    "origin": context.origin(row["carried_from"], lang=lang)})
    return sorted(out, key=lambda r: (r["code"], r["period"]))


def stored_real_cells(indicators: Iterable) -> set[tuple[str, int, str]]:
    """``(unit code, indicator id, period)`` of the current real (non-demo) totals of the indicators: where demo
    values must not go."""
    return set(Observation.objects.current().filter(indicator__in=[getattr(i, "pk", i) for i in indicators],
                                                    dimension_key="")
               .exclude(import_run__is_demo=True).values_list("unit__code", "indicator_id", "period"))


def demo_observations_exist() -> bool:
    """Whether any current observation came from a demo import (figures made up for trying the platform)."""
    return Observation.objects.current().filter(import_run__is_demo=True).exists()


def indicator_labels() -> dict[int, str]:
    """The ``indicator`` label of each indicator id as observations tables write it (``framework:code`` when shared)."""
    return IndicatorCodeBook().labels()
