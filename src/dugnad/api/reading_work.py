"""API of the work on a shared reading (signed in, CSRF): read the work, write a version, comment, agree, reopen.

The same role-checked services as the web's work page (``dugnad.readings.services``); the anonymous list of agreed
readings is on the open data API (``/api/v1/readings``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from dugnad.actions.selectors import actions_visible
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.api.schemas import ErrorOut, Id, Text, found
from dugnad.catalogue.selectors import indicators_by_ids
from dugnad.readings.citation import citation, version_path
from dugnad.readings.permissions import can_view_reading_work
from dugnad.readings.selectors import reading_get, reading_work, target_by_code
from dugnad.readings.services import reading_agree, reading_comment, reading_propose, reading_reopen
from dugnad.units.selectors import unit_current

router = Router(tags=["readings"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
TargetCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}\.[0-9a-z]{1,2}$")]
UnitCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{1,20}$")]
Language = Annotated[str, StringConstraints(pattern=r"^(nb|nn|en)$")]


class VersionIn(Schema):
    """A new version of the reading."""

    text: Text
    language: Language = "nb"
    indicator_ids: list[Id] = []
    action_ids: list[Id] = []


class CommentIn(Schema):
    text: Text


class AgreeIn(Schema):
    version: Annotated[int, Field(ge=1, le=2_000_000_000)]


class VersionOut(Schema):
    number: int
    language: str
    text: str
    author: str
    written: dt.datetime
    indicators: list[str]
    action_ids: list[int]
    agreed: bool
    citation: str
    url: str


class CommentOut(Schema):
    version: int
    author: str
    text: str
    written: dt.datetime


class ReadingWorkOut(Schema):
    id: int
    target: str
    unit: str
    level: str
    state: str
    agreed_version: int | None
    versions: list[VersionOut]
    comments: list[CommentOut]


def _load(request, target: str, unit: str):
    target_obj = found(target_by_code(target), "Ukjent delmål.")
    unit_obj = found(unit_current(unit), "Ukjent enhet.")
    if not can_view_reading_work(request.user, unit_obj):
        raise PermissionDenied(_("Du har ikke tilgang til arbeidet med lesningen for denne enheten."))
    return target_obj, unit_obj


def _out(reading) -> dict:
    versions, comments = reading_work(reading)
    return {"id": reading.pk, "target": reading.target.code, "unit": reading.unit.code, "level": reading.level,
            "state": reading.state, "agreed_version": reading.agreed_version.number if reading.agreed_version else None,
            "versions": [{"number": v.number, "language": v.language, "text": v.text,
                          "author": v.author.username if v.author else "", "written": v.created_at,
                          "indicators": sorted(i.code for i in v.indicators.all()),
                          "action_ids": sorted(a.pk for a in v.actions.all()), "agreed": bool(v.agreements.all()),
                          "citation": citation(v), "url": version_path(v)} for v in versions],
            "comments": [{"version": c.version.number, "author": c.author.username if c.author else "", "text": c.text,
                          "written": c.created_at} for c in comments]}


@router.get("/{target}/{unit}", response={200: ReadingWorkOut, **ERRORS}, summary="The work on a reading")
def readings_work(request, target: TargetCode = Path(...), unit: UnitCode = Path(...)):
    """The reading's state, versions (newest first) and comments, for those with a role on the unit or above."""
    _target, unit_obj = _load(request, target, unit)
    return _out(found(reading_get(target, unit_obj), "Ingen lesning ennå."))


@router.post("/{target}/{unit}/versions", response={201: ReadingWorkOut, **ERRORS}, summary="Write a new version")
def readings_propose(request, payload: VersionIn, target: TargetCode = Path(...), unit: UnitCode = Path(...)):
    """Propose the reading or write a new version of it (the unit's editors and the agreeing role)."""
    target_obj, unit_obj = _load(request, target, unit)
    indicators = indicators_by_ids(payload.indicator_ids)
    actions = list(actions_visible(request.user).filter(pk__in=payload.action_ids))
    report = ValidationReport(source="request")
    for column, wanted, got in (("indicator_ids", payload.indicator_ids, indicators), ("action_ids", payload.action_ids,
                                                                                       actions)):
        missing = sorted(set(wanted) - {o.pk for o in got})
        if missing:
            report.add(_("Ukjent id."), path=f"body.{column}", value=", ".join(map(str, missing)))
    if report.problems:
        raise InputError(report)
    version = reading_propose(user=request.user, target=target_obj, unit=unit_obj, text=payload.text,
                              language=payload.language, indicators=indicators, actions=actions)
    return Status(201, _out(reading_get(target, unit_obj) or version.reading))


@router.post("/{target}/{unit}/comments", response={201: ReadingWorkOut, **ERRORS}, summary="Comment")
def readings_comment(request, payload: CommentIn, target: TargetCode = Path(...), unit: UnitCode = Path(...)):
    """Comment on the latest version (a role on the unit or above; not while the reading is agreed)."""
    _target, unit_obj = _load(request, target, unit)
    reading = found(reading_get(target, unit_obj), "Ingen lesning ennå.")
    reading_comment(user=request.user, reading=reading, text=payload.text)
    return Status(201, _out(reading_get(target, unit_obj)))


@router.post("/{target}/{unit}/agree", response={200: ReadingWorkOut, **ERRORS}, summary="Agree the reading")
def readings_agree(request, payload: AgreeIn, target: TargetCode = Path(...), unit: UnitCode = Path(...)):
    """Agree the version you read (KS for the national reading, the county coordinator for the county's, a municipal
    editor for the municipality's); 422 when a newer version was written since."""
    _target, unit_obj = _load(request, target, unit)
    reading = found(reading_get(target, unit_obj), "Ingen lesning ennå.")
    reading_agree(user=request.user, reading=reading, version_number=payload.version)
    return _out(reading_get(target, unit_obj))


@router.post("/{target}/{unit}/reopen", response={200: ReadingWorkOut, **ERRORS}, summary="Reopen the reading")
def readings_reopen(request, target: TargetCode = Path(...), unit: UnitCode = Path(...)):
    """Reopen an agreed reading as a proposal (the agreeing role)."""
    _target, unit_obj = _load(request, target, unit)
    reading = found(reading_get(target, unit_obj), "Ingen lesning ennå.")
    reading_reopen(user=request.user, reading=reading)
    return _out(reading_get(target, unit_obj))
