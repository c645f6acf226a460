"""API of requests across levels (signed in): the requests you can read, send one from a unit you edit, read one,
and move it along as the receiving level (receive, answer, decline, follow up)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from dugnad.api.schemas import ErrorOut, Id, RequestFieldsOut, Text, found
from dugnad.catalogue.selectors import indicators_by_ids, targets_by_codes
from dugnad.requests.models import LevelRequest
from dugnad.requests.selectors import request_fields, request_get, requests_list
from dugnad.requests.services import request_send, request_status_set
from dugnad.units.selectors import unit_current

router = Router(tags=["requests"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Code = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.\-]{1,20}$")]
LevelCode = Annotated[str, StringConstraints(pattern=r"^(kommune|fylke|stat)$")]
StatusCode = Annotated[str, StringConstraints(pattern=r"^(submitted|received|answered|followed_up|declined)$")]


class RequestIn(Schema):
    """A new request from a unit you edit to another level (``to_unit``: the municipality, for ``kommune``)."""

    from_unit: Code
    to_level: LevelCode
    to_unit: Code | None = None
    to_body: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=200)] = ""
    title: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=300)]
    text: Text = ""
    targets: list[Code] = Field(default_factory=list, max_length=50)
    indicators: list[Id] = Field(default_factory=list, max_length=50)


class StatusIn(Schema):
    """The next status of a request, with the answer («answered» and «declined» need one)."""

    status: StatusCode
    answer: Text | None = None


class RequestOut(RequestFieldsOut):
    """A request across levels and where it stands."""

    answered_at: dt.datetime | None
    created_at: dt.datetime
    is_demo: bool


def request_out(r: LevelRequest) -> dict:
    """A request as the API shows it."""
    return {**request_fields(r), "answered_at": r.answered_at, "created_at": r.created_at, "is_demo": r.is_demo}


@router.get("", response=list[RequestOut], summary="Requests you can read")
def requests_read(request, to_level: LevelCode | None = None, status: StatusCode | None = None,
                  target: Code | None = None, unit: Code | None = None):
    """Requests from or to a unit you can see, newest first (optionally to one level, in one status, tied to one
    SDG target, or sent by one unit)."""
    sender = found(unit_current(unit), "Ukjent enhet.") if unit else None
    rows = requests_list(user=request.user, to_level=to_level, status=status, target_code=target, from_unit=sender)
    return [request_out(r) for r in rows[:500]]


@router.post("", response={201: RequestOut, **ERRORS}, summary="Send a request")
def requests_send(request, payload: RequestIn):
    """Send a request from a unit you edit to the state, the county or a named municipality (403 otherwise)."""
    sender = found(unit_current(payload.from_unit), "Ukjent enhet.")
    receiver = found(unit_current(payload.to_unit), "Ukjent enhet.") if payload.to_unit else None
    known_targets = {t.code: t for t in targets_by_codes(payload.targets)}
    targets = [found(known_targets.get(c), "Ukjent delmål.") for c in payload.targets]
    known_indicators = {i.pk: i for i in indicators_by_ids(payload.indicators)}
    indicators = [found(known_indicators.get(i), "Ukjent indikator.") for i in payload.indicators]
    sent = request_send(user=request.user, from_unit=sender, to_level=payload.to_level, to_unit=receiver,
                        to_body=payload.to_body, title=payload.title, text=payload.text, targets=targets,
                        indicators=indicators)
    return Status(201, request_out(request_get(sent.pk)))


@router.get("/{request_id}", response={200: RequestOut, **ERRORS}, summary="One request")
def requests_one(request, request_id: Id = Path(...)):
    """A request you can read (404 otherwise)."""
    return request_out(found(request_get(request_id, user=request.user), "Henvendelsen finnes ikke."))


@router.post("/{request_id}/status", response={200: RequestOut, **ERRORS}, summary="Receive, answer, decline or follow up")
def requests_status(request, payload: StatusIn, request_id: Id = Path(...)):
    """Move a request along its flow as the receiving level (403 for others; 422 for a step outside the flow or an
    answer or decline without text)."""
    item = found(request_get(request_id, user=request.user), "Henvendelsen finnes ikke.")
    request_status_set(user=request.user, request=item, status=payload.status, answer=payload.answer)
    return request_out(request_get(item.pk))
