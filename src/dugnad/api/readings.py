"""Open data: the agreed shared readings of the SDG targets at ``/api/v1/readings`` (anonymous, read-only).

Only readings with an agreed version are listed, each with the agreed text, its citation and its stable address.
Registered on the open data API (imported at the end of ``dugnad.api.open_data``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Schema

from dugnad.api.open_data import PageOut, Paging, _invalid, _json, _page, _preflight, api
from dugnad.readings import selectors as readings
from dugnad.readings.citation import citation, version_day, version_path
from dugnad.units import selectors as units


class ReadingOut(Schema):
    id: int
    target: str = Field(description="SDG target code, e.g. `11.6`.")
    unit: str = Field(description="Unit code (`0` for the country).")
    unit_name: str
    level: str = Field(description="`national`, `county` or `municipality`.")
    state: str = Field(description="`proposed`, `under_discussion` or `agreed` (a newer proposal may be under way).")
    version: int = Field(description="The agreed version's number.")
    latest_version: int
    language: str = Field(description="Language of the text: `nb`, `nn` or `en`.")
    text: str
    indicators: list[str] = Field(description="Codes of the indicators that express the target here.")
    written: dt.date
    citation: str
    url: str = Field(description="Stable address of the agreed version.")
    demo: bool


class ReadingsOut(PageOut):
    items: list[ReadingOut]


@api.get("/readings", response={200: ReadingsOut, 304: None}, summary="Agreed shared readings of the SDG targets")
def list_readings(request, paging: Query[Paging], target: str | None = None, unit: str | None = None):
    """The agreed readings (what a target means nationally, in a county or a municipality), of one `target` and/or
    one `unit` (code) when given, in official target order."""
    if target is not None and readings.target_by_code(target) is None:
        raise _invalid("target", f"unknown target {target!r}", target)
    found_unit = None
    if unit is not None:
        found_unit = units.unit_current(unit)
        if found_unit is None:
            raise _invalid("unit", f"unknown unit {unit!r}", unit)
    items = []
    for r in readings.readings_list(target_code=target, unit=found_unit, agreed_only=True).prefetch_related(
            "agreed_version__indicators"):
        v = r.agreed_version
        items.append({"id": r.pk, "target": r.target.code, "unit": r.unit.code, "unit_name": r.unit.name,
                      "level": r.level, "state": r.state, "version": v.number, "latest_version": r.latest_number,
                      "language": v.language, "text": v.text, "indicators": sorted(i.code for i in v.indicators.all()),
                      "written": version_day(v), "citation": citation(v, "nb"),
                      "url": request.build_absolute_uri(version_path(v)), "demo": r.is_demo})
    return _json(request, _page(items, paging))


api.api_operation(["OPTIONS"], "/readings", include_in_schema=False, throttle=[])(_preflight)
