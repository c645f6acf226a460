"""SSB PxWebApi clients: v2 (tables, metadata, code lists, data with splitting, cache) and the legacy v0 POST API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

from dugnad.env import env
from dugnad.imports.connectors.cache import ResponseCache
from dugnad.imports.connectors.errors import SsbError, error_from_response
from dugnad.imports.connectors.jsonstat import merge_datasets
from dugnad.imports.connectors.ratelimit import RateLimiter, retry_after_seconds
from dugnad.imports.connectors.selection import (
    MAX_CELLS,
    Selection,
    TableMetadata,
    build_selection,
    metadata_from_jsonstat,
    split_selection,
)

#: Longest query string sent with GET; longer selections go in a POST body.
MAX_GET_QUERY = 1800


class Transport:
    """HTTP with SSB's manners: rate limit, back-off on 429 honouring ``Retry-After``, JSON errors → SsbError."""

    def __init__(
        self,
        *,
        limiter: RateLimiter | None = None,
        http: httpx.Client | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        backoff: float = 5.0,
        user_agent: str = "dugnad (https://github.com/dugnad)",
    ):
        self.limiter = limiter or RateLimiter()
        self.http = http or httpx.Client(timeout=timeout, headers={"User-Agent": user_agent})
        self.max_retries = max_retries
        self.backoff = backoff
        self.requests = 0

    def send(self, method: str, url: str, *, table: str | None, params=None, body: dict | None = None) -> httpx.Response:
        """Send one request (retrying 429s); return the success response or raise :class:`SsbError`."""
        for attempt in range(self.max_retries + 1):
            self.limiter.acquire()
            self.requests += 1
            try:
                response = self.http.request(method, url, params=params, json=body)
            except httpx.HTTPError as exc:
                raise SsbError(
                    f"{'SSB-tabell ' + table if table else 'SSB'}: kunne ikke nå SSB / could not reach SSB ({exc})",
                    table=table,
                    url=url,
                ) from exc
            if response.status_code == 429 and attempt < self.max_retries:
                pause = retry_after_seconds(response.headers.get("Retry-After"), default=self.backoff * 2**attempt)
                self.limiter.wait(pause)
                continue
            if response.is_error:
                raise error_from_response(response, table=table)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def json(response: httpx.Response, *, table: str | None) -> dict:
        """The response body as JSON, or :class:`SsbError` when it is not JSON."""
        try:
            return response.json()
        except ValueError as exc:
            raise SsbError(
                f"{'SSB-tabell ' + table if table else 'SSB'}: svaret er ikke JSON / the response is not JSON",
                table=table,
                url=str(response.request.url),
            ) from exc


@dataclass
class FetchResult:
    """A fetched dataset (JSON-stat 2.0, parts merged) with what provenance needs."""

    dataset: dict
    metadata: TableMetadata
    selection: Selection
    urls: list[str] = field(default_factory=list)
    parts: int = 1
    from_cache: bool = False
    retrieved_at: str = ""

    def provenance(self) -> dict:
        """Provenance of this fetch: table id, ``updated``, request URL(s), retrieval time, selection."""
        return {
            "source": "ssb-pxwebapi-v2",
            "table": self.metadata.table,
            "table_label": self.metadata.label,
            "updated": self.metadata.updated,
            "url": self.urls[0] if len(self.urls) == 1 else None,
            "urls": self.urls,
            "parts": self.parts,
            "from_cache": self.from_cache,
            "retrieved_at": self.retrieved_at,
            "selection": self.selection.key(),
        }


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class PxWebClient:
    """Client of SSB PxWebApi v2 (base URL given, else ``DUGNAD_SSB_BASE_URL``, else SSB's public API)."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        lang: str = "no",
        max_cells: int = MAX_CELLS,
        transport: Transport | None = None,
        cache: ResponseCache | None = None,
        now: Callable[[], str] = _utc_now,
    ):
        self.base_url = (base_url or env("DUGNAD_SSB_BASE_URL")).rstrip("/")
        self.lang = lang
        self.max_cells = max_cells
        self.transport = transport or Transport()
        self.cache = cache
        self.now = now

    def _get(self, path: str, *, table: str | None = None, params: dict | None = None) -> dict:
        response = self.transport.send("GET", f"{self.base_url}{path}", table=table, params=params)
        return self.transport.json(response, table=table)

    def config(self) -> dict:
        """The API's ``/config`` (limits, languages, formats)."""
        return self._get("/config")

    def tables(self, query: str | None = None, lang: str | None = None, *, page_size: int = 100,
               max_pages: int | None = None) -> list[dict]:
        """All tables matching a search text (every page of ``/tables``)."""
        found: list[dict] = []
        page = 1
        while True:
            params = {"lang": lang or self.lang, "pageSize": page_size, "pageNumber": page}
            if query:
                params["query"] = query
            doc = self._get("/tables", params=params)
            found.extend(doc.get("tables") or [])
            paging = doc.get("page") or {}
            total = int(paging.get("totalPages") or 1)
            page = int(paging.get("pageNumber") or page) + 1
            if page > total or (max_pages is not None and page > max_pages) or not doc.get("tables"):
                return found

    def metadata_document(self, table_id: str, lang: str | None = None) -> dict:
        """The raw metadata document (JSON-stat 2.0) of a table."""
        return self._get(f"/tables/{table_id}/metadata", table=table_id,
                         params={"lang": lang or self.lang, "outputFormat": "json-stat2"})

    def metadata(self, table_id: str, lang: str | None = None) -> TableMetadata:
        """Parsed metadata of a table: label, ``updated`` and variables with their codes."""
        return metadata_from_jsonstat(table_id, self.metadata_document(table_id, lang))

    def codelist(self, codelist_id: str, lang: str | None = None, *, table: str | None = None) -> dict:
        """A code list (``/codeLists/{id}``), e.g. ``agg_KommSummer``."""
        return self._get(f"/codeLists/{codelist_id}", table=table, params={"lang": lang or self.lang})

    def selection(self, meta: TableMetadata, values: dict, *, codelists: dict[str, str] | None = None,
                  output_values: dict[str, str] | None = None, lang: str | None = None) -> Selection:
        """Resolve value expressions (``*``, ``top(n)``, ``from(x)`` …) to explicit codes, using code lists if given."""
        codelist_codes = {}
        for variable, codelist_id in (codelists or {}).items():
            doc = self.codelist(codelist_id, lang, table=meta.table)
            codelist_codes[variable] = tuple(str(v["code"]) for v in doc.get("values") or [])
        return build_selection(meta, values, codelists=codelists, output_values=output_values,
                               codelist_codes=codelist_codes)

    def _data_request(self, selection: Selection, lang: str) -> tuple[str, dict]:
        params: dict[str, str] = {"lang": lang, "outputFormat": "json-stat2"}
        for variable, codes in selection.values.items():
            params[f"valueCodes[{variable}]"] = ",".join(codes)
        for variable, codelist_id in selection.codelists.items():
            params[f"codelist[{variable}]"] = codelist_id
        for variable, output in selection.output_values.items():
            params[f"outputValues[{variable}]"] = output
        url = f"{self.base_url}/tables/{selection.table}/data"
        if len(urlencode(params)) <= MAX_GET_QUERY:
            response = self.transport.send("GET", url, table=selection.table, params=params)
        else:
            short = {k: v for k, v in params.items() if not k.startswith(("valueCodes", "codelist"))}
            body = {"selection": [
                {"variableCode": variable, "valueCodes": list(codes),
                 **({"codeList": selection.codelists[variable]} if variable in selection.codelists else {})}
                for variable, codes in selection.values.items()
            ]}
            response = self.transport.send("POST", url, table=selection.table, params=short, body=body)
        return str(response.request.url), self.transport.json(response, table=selection.table)

    def fetch(self, selection: Selection, meta: TableMetadata, lang: str | None = None) -> FetchResult:
        """Fetch a selection (cached; split into parts under the cell limit and merged) with provenance."""
        lang = lang or self.lang
        key = {**selection.key(), "lang": lang}
        if self.cache is not None:
            cached = self.cache.get(meta.table, meta.updated, key)
            if cached is not None:
                return FetchResult(cached["dataset"], meta, selection, cached["urls"], cached["parts"], True,
                                   cached["retrieved_at"])
        parts = split_selection(selection, self.max_cells)
        urls, docs = [], []
        for part in parts:
            url, doc = self._data_request(part, lang)
            urls.append(url)
            docs.append(doc)
        dataset = merge_datasets(docs, order=selection.values)
        retrieved_at = self.now()
        if self.cache is not None:
            self.cache.put(meta.table, meta.updated, key,
                           {"dataset": dataset, "urls": urls, "parts": len(parts), "retrieved_at": retrieved_at})
        return FetchResult(dataset, meta, selection, urls, len(parts), False, retrieved_at)

    def data(self, table_id: str, selection: dict, *, codelists: dict[str, str] | None = None,
             output_values: dict[str, str] | None = None, lang: str | None = None) -> dict:
        """The JSON-stat 2.0 dataset for a selection ``{variable: [codes or expressions]}`` of a table."""
        meta = self.metadata(table_id, lang)
        resolved = self.selection(meta, selection, codelists=codelists, output_values=output_values, lang=lang)
        return self.fetch(resolved, meta, lang).dataset


def v0_filter(expressions: list[str] | str, codelist: str | None = None) -> dict:
    """The v0 ``selection`` for one variable: ``item``, ``all``, ``top`` or ``agg:…``/``vs:…`` for a code list."""
    values = [expressions] if isinstance(expressions, str) else [str(v) for v in expressions]
    if codelist:
        prefix, _, name = codelist.partition("_")
        return {"filter": f"{prefix}:{name}" if name else codelist, "values": values}
    if len(values) == 1 and values[0].lower().startswith("top(") and values[0].endswith(")"):
        return {"filter": "top", "values": [values[0][4:-1].strip()]}
    if any("*" in v for v in values):
        return {"filter": "all", "values": values}
    return {"filter": "item", "values": values}


def v0_query(values: dict[str, list[str] | str], codelists: dict[str, str] | None = None) -> dict:
    """A complete v0 POST body (``query`` + ``response: json-stat2``) from value expressions per variable."""
    codelists = codelists or {}
    query = [{"code": code, "selection": v0_filter(expr, codelists.get(code))} for code, expr in values.items()]
    return {"query": query, "response": {"format": "json-stat2"}}


class PxWebV0Client:
    """Client of the legacy SSB PxWebApi v0: POST ``{base}/{lang}/table/{id}`` (base: ``DUGNAD_SSB_V0_BASE_URL``)."""

    def __init__(self, base_url: str | None = None, *, lang: str = "no", transport: Transport | None = None):
        self.base_url = (base_url or env("DUGNAD_SSB_V0_BASE_URL")).rstrip("/")
        self.lang = lang
        self.transport = transport or Transport()

    def query(self, table_id: str, body: dict, lang: str | None = None) -> dict:
        """POST a v0 query body and return the JSON-stat 2.0 dataset."""
        url = f"{self.base_url}/{lang or self.lang}/table/{table_id}"
        response = self.transport.send("POST", url, table=table_id, body=body)
        return self.transport.json(response, table=table_id)

    def data(self, table_id: str, values: dict[str, list[str] | str], *, codelists: dict[str, str] | None = None,
             lang: str | None = None) -> dict:
        """The JSON-stat 2.0 dataset for value expressions per variable (see :func:`v0_query`)."""
        return self.query(table_id, v0_query(values, codelists), lang)

