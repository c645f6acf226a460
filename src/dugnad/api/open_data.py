"""The open data API under ``/api/v1/``: anonymous and read-only (units, goals, targets, indicators with their specs,
observations, scores of the latest run, requests across levels). JSON by default, tidy CSV and JSON-stat 2.0 with
``format=csv|jsonstat`` (written by the format registry), paging, ETag and Cache-Control, CORS for GET, a request
limit per address.

Reads go through the selectors of the domain apps; nothing here touches the ORM."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from pydantic import create_model

from dugnad.analytics.formats import registry
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.api.schemas import RequestFieldsOut
from dugnad.api.throttling import AnonymousLimit
from dugnad.catalogue import selectors as catalogue
from dugnad.env import env
from dugnad.observations import selectors as observations
from dugnad.requests import selectors as levelrequests
from dugnad.scores import selectors as scores
from dugnad.targets import selectors as local_targets
from dugnad.units import selectors as units

#: Seconds a response may be cached by browsers and shared caches.
MAX_AGE = 300
#: Largest page of a JSON list.
MAX_LIMIT = 10000
DEMO_NOTE = ("Demo values: some figures come from the demo data set (made up for trying the platform), "
             "not from official statistics; they are flagged `demo`.")
REQUESTS_DEMO_NOTE = "Demo requests: some requests are made up for trying the platform; they are flagged `demo`."
TIDY_COLUMNS = ("unit", "indicator", "period", "value", "status")

ERRORS = {
    304: "Not modified (the `If-None-Match` ETag matches).",
    400: "A parameter holds a character that is not allowed (NUL).",
    404: "No such object.",
    422: "Invalid query; `problems` lists each problem with its location.",
    429: "Too many requests from this address; wait and try again (see DUGNAD_API_RATE).",
}


class OpenDataAPI(NinjaAPI):
    """The open data API, with the error statuses and the CSV media type declared in the OpenAPI schema."""

    def get_openapi_schema(self, *args, **kwargs):
        """The schema with 304/404/422/429 on every operation and ``text/csv`` where ``format=csv`` is offered."""
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/OpenErrorOut"}}}
        schema["components"]["schemas"]["OpenErrorOut"] = OpenErrorOut.model_json_schema()
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, text in ERRORS.items():
                    operation["responses"].setdefault(
                        status, {"description": text} if status == 304 else {"description": text, "content": error})
                if any(p["name"] == "format" for p in operation.get("parameters", [])):
                    operation["responses"][200].setdefault("content", {})["text/csv"] = {
                        "schema": {"type": "string", "description": "Tidy CSV: unit,indicator,period,…,value,status"}}
        return schema

    def create_response(self, request, data, *args, **kwargs):
        """Error answers (422, 429 …) readable by pages of other sites too."""
        response = super().create_response(request, data, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class OpenErrorOut(Schema):
    detail: str
    problems: list[dict] = []


api = OpenDataAPI(
    title="Dugnad open data API",
    version="1",
    description="Åpne data uten innlogging: enheter, mål, delmål, indikatorer, observasjoner og indekser. "
    "JSON, CSV (`format=csv`) og JSON-stat 2.0 (`format=jsonstat`). Demo values are flagged `demo`.",
    auth=None,
    urls_namespace="open_data",
    throttle=[AnonymousLimit(env("DUGNAD_API_RATE"))],
)


# --- responses -------------------------------------------------------------------------------------------------

def _respond(request: HttpRequest, body: bytes, content_type: str = "application/json; charset=utf-8",
             filename: str | None = None) -> HttpResponse:
    """The body with a strong ETag (304 when ``If-None-Match`` names it), Cache-Control and CORS headers."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    wanted = {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}
    response = HttpResponse(status=304) if etag in wanted or "*" in wanted else HttpResponse(body, content_type=content_type)
    if filename and response.status_code == 200:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


def _paged_headers(request: HttpRequest, response: HttpResponse, total: int, paging: Paging) -> HttpResponse:
    """``X-Total-Count`` and a ``Link`` to the next page (RFC 8288) on a paged CSV or JSON-stat answer."""
    response["X-Total-Count"] = str(total)
    response["Access-Control-Expose-Headers"] = "ETag, X-Total-Count, Link"
    if paging.offset + paging.limit < total:
        query = request.GET.copy()
        query["offset"] = str(paging.offset + paging.limit)
        query["limit"] = str(paging.limit)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
    return response


def _json(request: HttpRequest, payload: dict) -> HttpResponse:
    return _respond(request, json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False,
                                        separators=(",", ":")).encode())


def _page(items: list, paging: Paging) -> dict:
    return {"count": len(items), "limit": paging.limit, "offset": paging.offset,
            "items": items[paging.offset:paging.offset + paging.limit]}


def _invalid(field: str, reason: str, value: object = None):
    report = ValidationReport(source="request")
    report.add(reason, path=f"query.{field}", value=None if value is None else str(value))
    return InputError(report)


@api.exception_handler(InputError)
def _input_error(request, exc: InputError):
    return api.create_response(request, {"detail": "; ".join(p.reason for p in exc.report.errors),
                                         "problems": exc.report.as_dict()["problems"]}, status=422)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    report = ValidationReport(source="request")
    for error in exc.errors:
        report.add(str(error.get("msg", "invalid")), path=".".join(str(part) for part in error.get("loc", ())))
    return _input_error(request, InputError(report))


# --- schemas -------------------------------------------------------------------------------------------------

class Paging(Schema):
    limit: int = Field(1000, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=10**9, description="Items to skip.")


class PageOut(Schema):
    count: int = Field(description="Items in the whole selection.")
    limit: int
    offset: int


class UnitOut(Schema):
    code: str
    name: str
    name_nn: str
    name_en: str
    level: str
    parent: str | None
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="First day the unit no longer exists (exclusive).")
    population: int | None = Field(description="Residents on 1 January of the year of `on`.")
    population_year: int


class UnitsOut(PageOut):
    on: dt.date
    items: list[UnitOut]


class GoalOut(Schema):
    number: int
    colour: str
    name_nb: str
    name_nn: str
    name_en: str
    title_nb: str
    title_en: str
    target_count: int


class GoalsOut(PageOut):
    items: list[GoalOut]


class TargetOut(Schema):
    code: str
    goal: int
    title_nb: str
    title_en: str


class TargetsOut(PageOut):
    items: list[TargetOut]


class SpecOut(Schema):
    version: int
    label: str
    valid_from: dt.date | None
    unit_of_measure: str
    direction: str
    goal: int | None
    upper_bound: float | None
    lower_bound: float | None
    green: float | None
    red: float | None
    target_2030: float | None
    trend_from: int | None
    trend_to: int | None
    in_index: bool
    aggregation: str
    dimensions: list[str]


class IndicatorOut(Schema):
    framework: str
    code: str
    label: str = Field(description="The `indicator` of observations (`framework:code` for shared codes).")
    name_nb: str
    name_nn: str
    name_en: str
    unit_of_measure: str
    source: str
    uri: str
    goals: list[int]
    targets: list[str]
    spec: SpecOut | None = Field(description="The specification in force (scoring bounds, direction, aggregation).")


class IndicatorsOut(PageOut):
    items: list[IndicatorOut]


class ObservationOut(Schema):
    unit: str
    indicator: str
    period: str
    dimensions: dict[str, str]
    value: float | None
    status: str
    demo: bool = Field(description="The value comes from demo data, not official statistics.")
    carried_from: str | None = Field(None, description="With `on`: the original unit codes ('' when not carried).")
    note: str = Field("", description="Where the value comes from, in bokmål: «Demodata – ikke ekte tall» for demo "
                      "values, «Kilde: … (lisens …)» for a published source, «Registrert av kommunen» for entered values.")


class ObservationsOut(PageOut):
    on: dt.date | None
    demo: bool = Field(description="Some values of the selection are demo data.")
    note: str
    items: list[ObservationOut]


#: A JSON-stat 2.0 dataset (https://json-stat.org/full/): the required members (``class`` is a keyword in Python).
JsonStatOut = create_model(
    "JsonStatOut", __base__=Schema, __doc__="A JSON-stat 2.0 dataset (https://json-stat.org/full/).",
    version=(Literal["2.0"], ...), **{"class": (Literal["dataset"], ...)}, id=(list[str], ...), size=(list[int], ...),
    dimension=(dict[str, dict], ...), value=(list[float | None], ...),
)


class GoalScoreOut(Schema):
    goal: int
    score: float | None
    colour: str
    trend: str
    imputed: bool


class UnitScoreOut(Schema):
    unit: str
    name: str
    level: str
    index: float | None
    rank: int | None
    goals: list[GoalScoreOut]


class RunOut(Schema):
    id: int
    method: str
    method_version: str
    year: int | None
    finished_at: dt.datetime | None


class ScoresOut(PageOut):
    run: RunOut | None
    demo: bool = Field(description="The run was computed from data that include demo values.")
    note: str
    items: list[UnitScoreOut]


class OpenRequestOut(RequestFieldsOut):
    answered_on: dt.date | None
    created_on: dt.date
    demo: bool


class RequestsOut(PageOut):
    demo: bool = Field(description="Some requests are demo data.")
    note: str
    items: list[OpenRequestOut]


# --- endpoints -------------------------------------------------------------------------------------------------

def _day(on: dt.date | None) -> dt.date:
    return on or dt.date.today()


def _level_codes(level: str | None) -> None:
    if level is not None and level not in units.level_codes():
        raise _invalid("level", f"unknown level {level!r} (known: {', '.join(units.level_codes())})", level)


@api.get("/units", response={200: UnitsOut, 304: None}, summary="Units valid on a date, with population")
def list_units(request, paging: Query[Paging], level: str | None = None, on: dt.date | None = None):
    """Units valid on `on` (today by default), at one `level` (`county`, `municipality` …) or all, ordered by level
    and code, each with its residents on 1 January of that year."""
    _level_codes(level)
    day = _day(on)
    found = list(units.units_valid_on(date=day, level=level))
    people = units.populations(found, day.year)
    items = [{"code": u.code, "name": u.name, "name_nn": u.name_nn, "name_en": u.name_en, "level": u.level.code,
              "parent": u.parent.code if u.parent else None, "valid_from": u.valid_from, "valid_to": u.valid_to,
              "population": people[u.pk], "population_year": day.year} for u in found]
    return _json(request, {"on": day, **_page(items, paging)})


@api.get("/goals", response={200: GoalsOut, 304: None}, summary="The 17 goals")
def list_goals(request, paging: Query[Paging]):
    """The sustainable development goals with their names and number of targets."""
    items = [{"number": g.number, "colour": g.colour, "name_nb": g.name_nb, "name_nn": g.name_nn,
              "name_en": g.name_en, "title_nb": g.title_nb, "title_en": g.title_en, "target_count": g.target_count}
             for g in catalogue.goals_list()]
    return _json(request, _page(items, paging))


@api.get("/targets", response={200: TargetsOut, 304: None}, summary="Targets")
def list_targets(request, paging: Query[Paging], goal: int | None = Query(None, ge=1, le=17)):
    """The targets (of one `goal` when given) in official order."""
    items = [{"code": t.code, "goal": t.goal_id, "title_nb": t.title_nb, "title_en": t.title_en}
             for t in catalogue.targets_all(goal=goal)]
    return _json(request, _page(items, paging))


def _spec(spec) -> dict | None:
    if spec is None:
        return None
    return {name: getattr(spec, name) for name in (
        "version", "label", "valid_from", "unit_of_measure", "direction", "upper_bound", "lower_bound", "green", "red",
        "target_2030", "trend_from", "trend_to", "in_index", "aggregation")} | {
        "goal": spec.goal_id, "dimensions": [str(d) for d in spec.dimensions or []]}


@api.get("/indicators", response={200: IndicatorsOut, 304: None}, summary="Indicators with their specifications")
def list_indicators(request, paging: Query[Paging], framework: str | None = None,
                    goal: int | None = Query(None, ge=1, le=17)):
    """Indicators (of one `framework` and/or `goal`), each with the specification in force."""
    found = list(catalogue.indicators_all(framework=framework, goal=goal))
    specs = catalogue.indicator_specs_in_force(found)
    labels = observations.indicator_labels()
    items = [{"framework": i.framework.code, "code": i.code, "label": labels.get(i.pk, i.code), "name_nb": i.name_nb,
              "name_nn": i.name_nn, "name_en": i.name_en, "unit_of_measure": i.unit_of_measure, "source": i.source,
              "uri": i.uri, "goals": sorted(g.number for g in i.goals.all()),
              "targets": [t.code for t in sorted(i.targets.all(), key=lambda t: t.sort_key)],
              "spec": _spec(specs.get(i.pk))} for i in found]
    return _json(request, _page(items, paging))


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [part.strip() for part in text.split(",") if part.strip()]


def _observations(unit: str | None, indicator: str | None, period: str | None, level: str | None,
                  on: dt.date | None) -> pa.Table:
    """The selected observations as a tidy table with ``is_demo`` (and ``carried_from`` with ``on``)."""
    _level_codes(level)
    codes = _split(unit)
    if level is not None:
        at_level = {u.code for u in units.units_valid_on(date=_day(on), level=level)}
        codes = sorted(at_level if codes is None else at_level & set(codes))
    indicators = _split(indicator)
    try:
        if on is None:
            table = observations.observations_table(units=codes, indicators=indicators, with_provenance=True)
            table = table.drop_columns(["revision", "is_current"])  # import_run: for the note, dropped by the caller
        else:
            table = observations.observations_carried(on=on, units=codes, indicators=indicators,
                                                      with_provenance=True, context=_carry_context(on)).table
            table = table.drop_columns([c for c in ("carry_weighting",) if c in table.column_names])
    except ValueError as exc:
        raise _invalid("indicator", str(exc), indicator) from exc
    periods = _split(period)
    if periods is not None:
        table = table.filter(pc.is_in(table.column("period"), pa.array(periods, pa.string())))
    return table


def _carry_context(on: dt.date) -> units.CarryContext:
    """The registry's code changes and weights for carrying onto ``on``, kept until the registry changes."""
    return units.kept_carry_context(on=on)


def _written(table: pa.Table, format: str, **options) -> bytes:
    """The table written by the format registry's writer of ``format``."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"observations.{format}"
        registry.write_table(table, target, format=format, **options)
        return target.read_bytes()


@api.get("/observations", response={200: ObservationsOut | JsonStatOut, 304: None},
         summary="Observations (JSON, tidy CSV or JSON-stat 2.0)")
def list_observations(request, paging: Query[Paging], unit: str | None = None, indicator: str | None = None,
                      period: str | None = None,
                      level: str | None = None, on: dt.date | None = None,
                      format: Literal["json", "csv", "jsonstat"] = "json"):
    """Current observations as stored, or with `on=YYYY-MM-DD` carried across reforms onto the units in force on
    that date (`carried_from` names the original codes). `unit`, `indicator` and `period` take one value or several
    separated by commas; `level` keeps the units of that level. Paging (`limit`, `offset`) applies to every format:
    CSV and JSON-stat answers say the whole count in `X-Total-Count` and link the next page in `Link`. Demo values
    are flagged (`demo` in JSON and CSV, a note in JSON-stat)."""
    table = _observations(unit, indicator, period, level, on)
    demo = bool(pc.any(table.column("is_demo")).as_py()) if table.num_rows else False
    runs = table.select([c for c in ("indicator", "is_demo", "import_run") if c in table.column_names])
    table = table.drop_columns([c for c in ("import_run",) if c in table.column_names])
    if format in ("csv", "jsonstat"):
        total, table = table.num_rows, table.slice(paging.offset, paging.limit)
        if format == "csv":
            tidy = table.drop_columns(["is_demo"]).append_column(
                "demo", pc.if_else(table.column("is_demo"), "true", "false"))
            tidy = tidy.append_column("note", observations.provenance_notes(runs.slice(paging.offset, paging.limit)))
            response = _respond(request, _written(tidy, "csv"), "text/csv; charset=utf-8", "observations.csv")
        else:
            tidy = table.drop_columns([c for c in ("is_demo", "carried_from") if c in table.column_names])
            document = json.loads(_written(tidy, "jsonstat", label="Dugnad observations"))
            if demo:
                document["note"] = [DEMO_NOTE]
            document["extension"] = {"demo": demo, "on": on.isoformat() if on else None, "count": total,
                                     "limit": paging.limit, "offset": paging.offset}
            response = _respond(request, json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(),
                                filename="observations.json")
        return _paged_headers(request, response, total, paging)
    dims = [c for c in table.column_names if c not in (*TIDY_COLUMNS, "is_demo", "carried_from")]
    page = table.slice(paging.offset, paging.limit).to_pylist()
    notes = observations.provenance_notes(runs.slice(paging.offset, paging.limit)).to_pylist()
    items = [{"unit": r["unit"], "indicator": r["indicator"], "period": r["period"],
              "dimensions": {d: r[d] for d in dims if r[d]}, "value": r["value"], "status": r["status"],
              "demo": bool(r["is_demo"]), "carried_from": r.get("carried_from"), "note": note}
             for r, note in zip(page, notes, strict=True)]
    return _json(request, {"count": table.num_rows, "limit": paging.limit, "offset": paging.offset, "on": on,
                           "demo": demo, "note": DEMO_NOTE if demo else "", "items": items})


@api.get("/scores", response={200: ScoresOut, 304: None}, summary="Scores of the latest score run")
def list_scores(request, paging: Query[Paging], unit: str | None = None, level: str | None = None):
    """The index and goal scores (0–100) of each unit in the newest finished score run (`unit` codes separated
    by commas, or a `level`)."""
    _level_codes(level)
    run = scores.latest_score_run()
    items: list[dict] = []
    if run is not None:
        codes = set(_split(unit) or [])
        goal_scores = scores.run_goal_scores(run)
        index = scores.run_index_scores(run)
        per_unit: dict[int, dict] = {}
        for s in goal_scores:
            if (codes and s.unit.code not in codes) or (level and s.unit.level.code != level):
                continue
            row = per_unit.setdefault(s.unit_id, {
                "unit": s.unit.code, "name": s.unit.name, "level": s.unit.level.code,
                "index": index[s.unit_id].score if s.unit_id in index else None,
                "rank": index[s.unit_id].rank if s.unit_id in index else None, "goals": []})
            row["goals"].append({"goal": s.goal, "score": s.score, "colour": s.colour, "trend": s.trend,
                                 "imputed": s.imputed})
        items = list(per_unit.values())
    demo = run is not None and observations.demo_observations_exist()
    return _json(request, {
        "run": None if run is None else {"id": run.pk, "method": run.method, "method_version": run.method_version,
                                         "year": run.year, "finished_at": run.finished_at},
        "demo": demo, "note": DEMO_NOTE if demo else "", **_page(items, paging)})


class LocalTargetOut(Schema):
    unit: str
    indicator: str = Field(description="The `indicator` label of observations (`framework:code` for shared codes).")
    year: int
    value: float
    version: int
    in_force: bool
    source: str = Field(description="The commitment: `plan`, `council_decision`, `other`; `demo` for demo targets.")
    reference: str
    rationale: str
    created_at: dt.datetime
    demo: bool = Field(description="A made-up demo target, not a real commitment.")


class LocalTargetsOut(PageOut):
    demo: bool = Field(description="Some targets of the selection are demo data.")
    note: str
    items: list[LocalTargetOut]


def _csv_cell(value) -> str:
    """A CSV cell: booleans as true/false, times in ISO 8601, numbers as Python writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return "" if value is None else str(value)


LOCAL_TARGET_COLUMNS = ("unit", "indicator", "year", "value", "version", "in_force", "source", "reference",
                        "rationale", "created_at", "demo")


@api.get("/local-targets", response={200: LocalTargetsOut, 304: None},
         summary="Local 2030 targets of units (JSON or CSV)")
def list_local_targets(request, paging: Query[Paging], unit: str | None = None, indicator: str | None = None,
                       year: int | None = Query(None, ge=2000, le=2100), history: bool = False,
                       format: Literal["json", "csv"] = "json"):
    """The targets units have set themselves for an indicator and year (`/targets` lists the SDG targets): the
    version in force of each, or every version with `history=true`. `unit` and `indicator` (labels as in
    `/observations`, or plain codes) take one value or several separated by commas. Demo targets are flagged."""
    labels = observations.indicator_labels()
    wanted = _split(indicator)
    ids = None
    if wanted is not None:
        ids = [pk for pk, label in labels.items() if label in wanted or label.rsplit(":", 1)[-1] in wanted]
        if not ids:
            raise _invalid("indicator", f"unknown indicator {indicator!r}", indicator)
    rows = [{"unit": t.unit.code, "indicator": labels.get(t.indicator_id, t.indicator.code), "year": t.year,
             "value": t.value, "version": t.version, "in_force": t.superseded_at is None, "source": t.source,
             "reference": t.reference, "rationale": t.rationale, "created_at": t.created_at, "demo": t.is_demo}
            for t in local_targets.targets_listed(units=_split(unit), indicators=ids, year=year, history=history)]
    demo = any(r["demo"] for r in rows)
    if format == "csv":
        page = rows[paging.offset:paging.offset + paging.limit]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(LOCAL_TARGET_COLUMNS)
        for r in page:
            writer.writerow([_csv_cell(r[c]) for c in LOCAL_TARGET_COLUMNS])
        response = _respond(request, out.getvalue().encode(), "text/csv; charset=utf-8", "local-targets.csv")
        return _paged_headers(request, response, len(rows), paging)
    return _json(request, {"demo": demo, "note": DEMO_NOTE if demo else "", **_page(rows, paging)})


@api.get("/requests", response={200: RequestsOut, 304: None}, summary="Requests across levels")
def list_requests(request, paging: Query[Paging], to_level: Literal["kommune", "fylke", "stat"] | None = None,
                  unit: str | None = None, status: Literal["submitted", "received", "answered", "followed_up",
                                                           "declined"] | None = None,
                  target: str | None = None, goal: int | None = Query(None, ge=1, le=17)):
    """What municipalities and counties ask other levels to do, newest first: to one level (`kommune`, `fylke`,
    `stat`), sent by one `unit` (code), in one `status`, tied to one SDG `target` or `goal`. Who wrote or answered
    is not published."""
    sender = None
    if unit is not None:
        sender = units.unit_current(unit)
        if sender is None:
            raise _invalid("unit", f"unknown unit code {unit!r}", unit)
    rows = list(levelrequests.requests_list(to_level=to_level, from_unit=sender, status=status, target_code=target,
                                            goal=goal))
    items = [{**levelrequests.request_fields(r), "answered_on": r.answered_at.date() if r.answered_at else None,
              "created_on": r.created_at.date(), "demo": r.is_demo} for r in rows]
    demo = any(i["demo"] for i in items)
    return _json(request, {"demo": demo, "note": REQUESTS_DEMO_NOTE if demo else "", **_page(items, paging)})


# --- CORS preflight ----------------------------------------------------------------------------------------------

#: How long a browser may keep a preflight answer.
PREFLIGHT_MAX_AGE = 86400


def _preflight(request) -> HttpResponse:
    """The answer to a CORS preflight (``OPTIONS``) for a GET of the open data: any origin, GET and HEAD."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = request.headers.get("Access-Control-Request-Headers", "") or \
        "Accept, If-None-Match"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    response["Allow"] = "GET, HEAD, OPTIONS"
    return response


for _path in ("/units", "/goals", "/targets", "/indicators", "/observations", "/scores", "/requests",
              "/local-targets"):
    api.api_operation(["OPTIONS"], _path, include_in_schema=False, throttle=[])(_preflight)
