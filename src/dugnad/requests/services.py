"""Writes of requests across levels: send a request to another level, and move it along (receive, answer, decline,
follow up)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.requests.models import LevelRequest
from dugnad.requests.permissions import can_answer_request, can_send_request
from dugnad.requests.vocab import RequestLevel, RequestStatus
from dugnad.units.models import Unit

_LEVEL_CODES = {RequestLevel.MUNICIPALITY: "municipality", RequestLevel.COUNTY: "county", RequestLevel.STATE: "country"}


def receiving_unit(from_unit: Unit, to_level: str, to_unit: Unit | None = None) -> Unit | None:
    """The unit that answers: the country for the state, the sender's county for the county, else ``to_unit``."""
    if to_unit is not None:
        return to_unit if to_unit.level.code == _LEVEL_CODES[RequestLevel(to_level)] else None
    unit = from_unit
    while unit is not None and unit.level.code != _LEVEL_CODES[RequestLevel(to_level)]:
        unit = unit.parent
    return unit


@transaction.atomic
def request_send(
    *, user, from_unit: Unit, to_level: str, title: str, text: str = "", to_body: str = "", to_unit: Unit | None = None,
    targets: Iterable = (), indicators: Iterable = (), is_demo: bool = False,
) -> LevelRequest:
    """Record a request from ``from_unit`` to another level (status «Sendt»); editors of ``from_unit`` only."""
    if not can_send_request(user, from_unit):
        raise PermissionDenied(_("Du kan ikke sende henvendelser for denne enheten."))
    report = ValidationReport()
    if to_level not in RequestLevel.values:
        report.add(_("Ukjent nivå."), column="to_level", value=str(to_level))
        raise InputError(report)
    if not title.strip():
        report.add(_("Tittel mangler."), column="title")
    receiver = receiving_unit(from_unit, to_level, to_unit)
    if receiver is None:
        report.add(_("Fant ingen mottaker på dette nivået."), column="to_level", value=str(to_level))
    elif receiver.pk == from_unit.pk:
        report.add(_("En enhet kan ikke sende en henvendelse til seg selv."), column="to_level", value=str(to_level))
    if report.problems:
        raise InputError(report)
    request = LevelRequest.objects.create(
        from_unit=from_unit, to_level=to_level, to_unit=receiver, to_body=to_body.strip(), title=title.strip(),
        text=text, created_by=user if getattr(user, "is_authenticated", False) else None, is_demo=is_demo,
    )
    request.targets.set(list(targets))
    request.indicators.set(list(indicators))
    return request


@transaction.atomic
def request_status_set(*, user, request: LevelRequest, status: str, answer: str | None = None) -> LevelRequest:
    """Move a request along its flow (sendt → mottatt → besvart → fulgt opp; avvist from sendt or mottatt).

    Only the receiving level's coordinators; «Besvart» and «Avvist» need an answer text and record who answered.
    """
    if not can_answer_request(user, request):
        raise PermissionDenied(_("Du kan ikke svare på denne henvendelsen."))
    report = ValidationReport()
    if status not in RequestStatus(request.status).next_statuses:
        now = RequestStatus(request.status).label
        report.add(_("Kan ikke gå fra «%(status)s» til denne statusen.") % {"status": now}, column="status",
                   value=str(status))
        raise InputError(report)
    if answer is not None:
        request.answer = answer.strip()
    if status in (RequestStatus.ANSWERED, RequestStatus.DECLINED):
        if not request.answer:
            report.add(_("Skriv et svar."), column="answer")
            raise InputError(report)
        request.answered_by = user if getattr(user, "is_authenticated", False) else None
        request.answered_at = timezone.now()
    request.status = status
    request.save()
    return request


def request_answer(*, user, request: LevelRequest, answer: str) -> LevelRequest:
    """Answer a request (status «Besvart»)."""
    return request_status_set(user=user, request=request, status=RequestStatus.ANSWERED, answer=answer)
