"""Request and response schemas of the HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

from django.http import Http404
from ninja import Schema
from pydantic import Field, StringConstraints

#: Text without NUL characters (which no database stores), bounded in length.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=50_000)]
ShortText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=500)]
Version = Annotated[int, Field(ge=0, le=2_000_000_000)]
Id = Annotated[int, Field(ge=1, le=2_000_000_000)]


class ErrorOut(Schema):
    """An error: a message, and for invalid input the located problems."""

    detail: str
    problems: list[dict] = []


class RequestFieldsOut(Schema):
    """A request across levels as both APIs show it (``dugnad.requests.selectors.request_fields``): no user names."""

    id: int
    from_unit: str
    from_name: str
    to_level: str = Field(description="`kommune`, `fylke` or `stat`.")
    to_unit: str
    to_name: str
    to_body: str
    title: str
    text: str
    targets: list[str]
    indicators: list[str]
    status: str = Field(description="`submitted`, `received`, `answered`, `followed_up` or `declined`.")
    answer: str


class ConflictOut(Schema):
    """A stale save: nothing was written; the stored value and who changed it."""

    detail: str
    current: Any = None
    current_version: int
    yours: Any = None
    changed_by: str = ""


class QuestionIn(Schema):
    """A survey question of a new round."""

    text: ShortText
    kind: Annotated[str, StringConstraints(pattern=r"^(yes_no|scale|choice|text)$")]
    choices: list[ShortText] = []
    scale_min: Annotated[int, Field(ge=-100, le=100)] = 1
    scale_max: Annotated[int, Field(ge=-100, le=100)] = 5


class RoundIn(Schema):
    """A new round."""

    title: ShortText
    scope_unit: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{1,20}$")]
    year: Annotated[int, Field(ge=2000, le=2100)]
    deadline: dt.date
    indicator_ids: list[Id]
    chapters: list[Annotated[str, StringConstraints(max_length=40, pattern=r"^[^\x00]*$")]] = []
    questions: list[QuestionIn] = []


class RoundOut(Schema):
    """A round."""

    id: int
    title: str
    year: int
    deadline: dt.date
    scope_unit: str
    state: str
    chapters: list[str]
    indicator_ids: list[int]
    is_demo: bool


class StatusRowOut(Schema):
    """One participating unit in the status overview."""

    submission_id: int
    unit: str
    name: str
    county: str
    size: str
    status: str
    overdue: bool


class StatusOut(Schema):
    """The status overview of a round: counts per state and one row per unit."""

    round_id: int
    counts: dict[str, int]
    units: list[StatusRowOut]


class CellOut(Schema):
    """One value of a submission's grid."""

    indicator_id: int
    indicator: str
    period: str
    value: float | None
    status: str
    revision: int


class NarrativeOut(Schema):
    """One narrative, with the language it is written in (nb, nn, en, se)."""

    key: str
    text: str
    version: int
    language: str = "nb"


class QuestionOut(Schema):
    """A survey question with the submission's answer."""

    id: int
    position: int
    text: str
    kind: str
    choices: list[str]
    answer: Any = None
    version: int


class SubmissionOut(Schema):
    """A submission with its values, narratives and survey answers."""

    id: int
    round_id: int
    unit: str
    name: str
    status: str
    version: int
    review_comment: str
    values: list[CellOut]
    narratives: list[NarrativeOut]
    questions: list[QuestionOut]


class SubmissionBrief(Schema):
    """A submission in a list."""

    id: int
    round_id: int
    unit: str
    name: str
    status: str
    version: int


class ValueIn(Schema):
    """A grid cell to save; ``revision`` is the one you read (0 when empty)."""

    indicator_id: Id
    period: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
    value: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=50)] | float | None = None
    revision: Version


class NarrativeIn(Schema):
    """A narrative to save; ``version`` is the one you read (0 when new); ``language`` nb, nn, en or se (unchanged
    when left out)."""

    text: Text
    version: Version
    language: str | None = None


class AnswerIn(Schema):
    """A survey answer; ``version`` is the one you read (0 when unanswered)."""

    answer: bool | int | Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=10_000)] | None = None
    version: Version


class StateIn(Schema):
    """A state change; ``version`` is the submission version you read."""

    version: Version | None = None


class SubmitIn(StateIn):
    """Submitting; an incomplete submission (empty cells, texts or answers) needs ``confirm_incomplete``."""

    confirm_incomplete: bool = False


class CloseIn(Schema):
    """Closing a round needs its title typed as ``confirmation``."""

    confirmation: str = ""


class ReturnIn(StateIn):
    """Returning a submission needs a comment."""

    comment: Text


T = TypeVar("T")


def found(value: T | None, message: str = "") -> T:
    """The value, or a 404 answer when the selector found nothing."""
    if value is None:
        raise Http404(message)
    return value
