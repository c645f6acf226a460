"""SSB/PxWebApi errors: the JSON error bodies of the API turned into one exception with a clear message."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class ErrorKind:
    """A known PxWebApi problem with its Norwegian and English explanation."""

    nb: str
    en: str


#: Known error titles of PxWebApi v2 (as sent by SSB/SCB) → explanation. ``{table}`` is filled in.
ERROR_TITLES: dict[str, ErrorKind] = {
    "non-existent table": ErrorKind("tabellen finnes ikke", "the table does not exist"),
    "non-existent value": ErrorKind(
        "utvalget inneholder en verdi (kode) som ikke finnes i tabellen",
        "the selection contains a value code that does not exist in the table",
    ),
    "non-existent variable": ErrorKind(
        "utvalget nevner en variabel som ikke finnes i tabellen",
        "the selection names a variable that does not exist in the table",
    ),
    "missing selection for mandantory variable": ErrorKind(
        "utvalget mangler en obligatorisk variabel", "the selection lacks a mandatory variable"
    ),
    "missing selection for mandatory variable": ErrorKind(
        "utvalget mangler en obligatorisk variabel", "the selection lacks a mandatory variable"
    ),
    "non-existent codelist": ErrorKind("kodelisten finnes ikke", "the code list does not exist"),
}

#: Explanation by HTTP status when the body has no known title.
ERROR_STATUSES: dict[int, ErrorKind] = {
    400: ErrorKind("ugyldig forespørsel", "bad request"),
    403: ErrorKind(
        "for mange celler i én forespørsel (grensen er 800 000)", "too many cells in one request (the limit is 800,000)"
    ),
    404: ErrorKind("tabellen eller ressursen finnes ikke", "the table or resource does not exist"),
    429: ErrorKind(
        "for mange forespørsler (grensen er 30 per 60 sekunder)", "too many requests (the limit is 30 per 60 seconds)"
    ),
    500: ErrorKind("feil hos SSB", "server error at SSB"),
    503: ErrorKind("SSB-tjenesten er utilgjengelig", "the SSB service is unavailable"),
}


class SsbError(Exception):
    """A failed SSB request: names the table, the HTTP status and the problem in Norwegian and English."""

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        status: int | None = None,
        title: str | None = None,
        url: str | None = None,
    ):
        self.table = table
        self.status = status
        self.title = title
        self.url = url
        super().__init__(message)


def error_message(*, table: str | None, status: int | None, title: str | None) -> str:
    """The user-facing message for a PxWebApi problem: ``SSB-tabell 07459: … / …``."""
    kind = ERROR_TITLES.get((title or "").strip().lower()) or ERROR_STATUSES.get(status or 0)
    if kind is None and (status or 0) >= 500:  # 502, 504 …: any other server-side failure
        kind = ERROR_STATUSES[500]
    where = f"SSB-tabell {table}" if table else "SSB"
    detail = f" [{title}, HTTP {status}]" if title else f" [HTTP {status}]"
    if kind is None:
        return f"{where}: uventet svar / unexpected response{detail}"
    return f"{where}: {kind.nb} / {kind.en}{detail}"


def error_from_response(response: httpx.Response, *, table: str | None) -> SsbError:
    """An :class:`SsbError` from a non-success response, reading the JSON body ``{type, title, status}`` if any."""
    title = None
    status = response.status_code
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        body = None
    if isinstance(body, dict):
        title = body.get("title") or None
        # SSB sometimes answers HTTP 400 with a body status of 404 (non-existent table): trust the body.
        if isinstance(body.get("status"), int):
            status = body["status"]
    message = error_message(table=table, status=status, title=title)
    return SsbError(message, table=table, status=status, title=title, url=str(response.request.url))
