"""Signed-in API of local 2030 targets: list a unit's targets (with versions) and set a target (a new version).

Setting goes through ``dugnad.targets.services.target_set``: people acting for exactly that unit (a municipal
editor for its municipality, a county coordinator for its county, the national coordinator for Norway).
The anonymous, read-only list is ``/api/v1/local-targets`` (``dugnad.api.open_data``).
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.api.actions import Code
from dugnad.api.schemas import ErrorOut, Id, ShortText, Text, found
from dugnad.targets.permissions import can_set_target
from dugnad.targets.selectors import target_indicator, target_versions, targets_in_force
from dugnad.targets.services import target_set
from dugnad.targets.vocab import DEFAULT_TARGET_YEAR
from dugnad.units.selectors import unit_current

router = Router(tags=["targets"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Year = Annotated[int, Field(ge=2000, le=2100)]
SourceCode = Annotated[str, StringConstraints(pattern=r"^(plan|council_decision|other)$")]


class LocalTargetOut(Schema):
    """One version of a unit's target for an indicator and year."""

    id: int
    unit: str
    indicator_id: int
    indicator: str
    year: int
    value: float
    version: int
    in_force: bool
    source: str
    reference: str
    rationale: str
    created_by: str
    created_at: str
    is_demo: bool


class UnitTargetsOut(Schema):
    """A unit's targets, and whether you may set them."""

    unit: str
    may_set: bool
    targets: list[LocalTargetOut]


class LocalTargetIn(Schema):
    """A target to set; one that exists for the unit, indicator and year gets a new version."""

    unit: Code
    indicator_id: Id
    value: float
    year: Year = DEFAULT_TARGET_YEAR
    rationale: Text = ""
    source: SourceCode = "plan"
    reference: ShortText = ""


def local_target_out(t) -> dict:
    """A target version as the APIs show it."""
    return {"id": t.pk, "unit": t.unit.code, "indicator_id": t.indicator_id, "indicator": t.indicator.code,
            "year": t.year, "value": t.value, "version": t.version, "in_force": t.superseded_at is None,
            "source": t.source, "reference": t.reference, "rationale": t.rationale,
            "created_by": t.created_by.get_username() if t.created_by else "",
            "created_at": t.created_at.isoformat(timespec="seconds"), "is_demo": t.is_demo}


@router.get("/{code}", response={200: UnitTargetsOut, **ERRORS}, summary="A unit's targets")
def targets_of_unit(request, code: Code, year: Year | None = None, history: bool = False):
    """The unit's targets in force (of `year` when given), or every version with `history=true`."""
    unit = found(unit_current(code), "Ukjent enhet.")
    rows = target_versions(unit=unit, year=year) if history else targets_in_force(unit=unit, year=year)
    return {"unit": unit.code, "may_set": can_set_target(request.user, unit),
            "targets": [local_target_out(t) for t in rows]}


@router.post("", response={201: LocalTargetOut, **ERRORS}, summary="Set a target (a new version)")
def targets_set(request, payload: LocalTargetIn):
    """Set the unit's target for an indicator and year; the version in force is superseded and kept as history.
    403 unless you act for exactly that unit."""
    unit = found(unit_current(payload.unit), "Ukjent enhet.")
    indicator = target_indicator(payload.indicator_id)
    if indicator is None:
        report = ValidationReport(source="request")
        report.add(_("Ukjent indikator, eller indikatoren har ingen spesifikasjon."), path="body.payload.indicator_id",
                   value=str(payload.indicator_id))
        raise InputError(report)
    try:
        target = target_set(user=request.user, unit=unit, indicator=indicator, value=payload.value, year=payload.year,
                            rationale=payload.rationale, source=payload.source, reference=payload.reference)
    except ValidationError as exc:
        report = ValidationReport(source="request")
        for field, messages in exc.message_dict.items():
            for message in messages:
                report.add(message, path=f"body.payload.{field}")
        raise InputError(report) from None
    return Status(201, local_target_out(target))
