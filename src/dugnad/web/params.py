"""Request parameters read safely: a malformed value is a 400 naming the parameter, never a server error."""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

#: The largest id any table stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: Marks a parameter that must be present.
REQUIRED = object()
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


class InvalidParameter(BadRequest):
    """A request parameter that cannot be read; its message (shown on the 400 page) names it and says why."""


def int_param(data, name: str, *, default=None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The whole number in ``data[name]`` (a QueryDict or dict), ``default`` when absent or empty."""
    raw = data.get(name)
    text = "" if raw is None else str(raw).strip()
    if not text:
        if default is REQUIRED:
            raise InvalidParameter(_("«%(name)s» mangler.") % {"name": name})
        return default
    return _whole_number(name, text, minimum, maximum)


def int_list_param(data, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> list[int]:
    """Every whole number given for ``name`` (a repeated field, e.g. checked boxes); empty values are skipped."""
    return [_whole_number(name, str(v).strip(), minimum, maximum) for v in data.getlist(name) if str(v).strip()]


def _whole_number(name: str, text: str, minimum: int, maximum: int) -> int:
    if _INTEGER.fullmatch(text) and minimum <= int(text) <= maximum:
        return int(text)
    where = {"name": name, "min": minimum, "max": maximum, "value": text[:40]}
    if maximum == MAX_ID:
        raise InvalidParameter(_("«%(name)s» må være et heltall fra og med %(min)s, ikke «%(value)s».") % where)
    raise InvalidParameter(_("«%(name)s» må være et heltall fra %(min)s til %(max)s, ikke «%(value)s».") % where)
