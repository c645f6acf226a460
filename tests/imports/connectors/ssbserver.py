"""A loopback PxWebApi server for tests: serves recorded SSB/SCB responses and programmable errors.

Routes: ``/config``, ``/tables`` (the recorded listing, paged by ``pageSize``/``pageNumber``),
``/tables/{id}/metadata``, ``/tables/{id}/data`` (GET ``valueCodes[...]`` or POST ``selection``; the
recorded dataset sliced to the requested codes), ``/codeLists/{id}`` and v0 ``POST /no/table/{id}``.
Unknown tables and values answer with the real SSB error bodies recorded in the shared data.
"""

from __future__ import annotations

import copy
import json
import math
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# The selection that the recorded TAB6471_data.json answers (21 counties × 11 age groups × 3 × 1 × 4 months).
FULL = {
    "Region": ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21",
               "22", "23", "24", "25"],
    "Alder": ["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90-99", "100+10"],
    "Kon": ["*"],
    "ContentsCode": ["000007SF"],
    "Tid": ["from(2026M01)"],
}

# Real SSB v2 error bodies (see ../shared/data/no/ssb-pxweb/kommunebarometer-spike/pxwebapi_v2_error_snippets.json).
NON_EXISTENT_TABLE = '{"type":"Parameter error","title":"Non-existent table","status":404}'
NON_EXISTENT_VALUE = '{"type":"Parameter error","title":"Non-existent value","status":400}'
MISSING_SELECTION = '{"type":"Parameter error","title":"Missing selection for mandantory variable","status":400}'
# Not recorded: a plausible body for the 800,000-cell limit.
TOO_MANY_CELLS = '{"type":"Parameter error","title":"Too many cells selected","status":403}'


def _codes(dim: dict) -> list[str]:
    index = dim["category"]["index"]
    return sorted(index, key=index.get)


def slice_dataset(doc: dict, wanted: dict[str, list[str]]) -> dict:
    """The dataset restricted to the wanted codes per dimension (all codes of dimensions not named)."""
    ids = doc["id"]
    keep = []
    for dim_id in ids:
        codes = _codes(doc["dimension"][dim_id])
        chosen = wanted.get(dim_id, codes)
        missing = [c for c in chosen if c not in codes]
        if missing:
            raise KeyError(missing[0])
        keep.append([codes.index(c) for c in codes if c in chosen])
    sizes = [len(_codes(doc["dimension"][d])) for d in ids]
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(ids))]
    out = copy.deepcopy({k: v for k, v in doc.items() if k not in {"value", "status"}})
    values, status = [], {}
    positions = [[]]
    for kept in keep:
        positions = [[*p, k] for p in positions for k in kept]
    for n, pos in enumerate(positions):
        flat = sum(p * s for p, s in zip(pos, strides, strict=True))
        values.append(doc["value"][flat])
        mark = (doc.get("status") or {}).get(str(flat)) if isinstance(doc.get("status"), dict) else None
        if mark is not None:
            status[str(n)] = mark
    out["value"] = values
    if status:
        out["status"] = status
    out["size"] = [len(k) for k in keep]
    for dim_id, kept in zip(ids, keep, strict=True):
        codes = _codes(doc["dimension"][dim_id])
        category = out["dimension"][dim_id]["category"]
        chosen = [codes[i] for i in kept]
        category["index"] = {c: i for i, c in enumerate(chosen)}
        category["label"] = {c: doc["dimension"][dim_id]["category"]["label"][c] for c in chosen}
        if "unit" in category:
            category["unit"] = {c: u for c, u in category["unit"].items() if c in chosen}
    return out


@dataclass
class Reply:
    """A programmed reply: status, headers and body."""

    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeSsb:
    """State of the loopback server: recorded documents, programmed replies and a log of requests."""

    metadata: dict[str, dict] = field(default_factory=dict)
    datasets: dict[str, dict] = field(default_factory=dict)
    codelists: dict[str, dict] = field(default_factory=dict)
    tables: list[dict] = field(default_factory=list)
    config: dict = field(default_factory=dict)
    v0: dict[str, dict] = field(default_factory=dict)
    queued: list[Reply] = field(default_factory=list)
    max_cells: int = 800_000
    log: list[dict] = field(default_factory=list)
    base_url: str = ""

    def data_requests(self) -> list[dict]:
        """Logged requests for data (v2 ``/data`` and v0 tables)."""
        return [r for r in self.log if r["path"].endswith("/data") or "/table/" in r["path"]]

    def set_value(self, table: str, flat_index: int, value: float) -> None:
        """Revise one served figure and mark the table as updated now (a new ``updated`` timestamp)."""
        self.datasets[table]["value"][flat_index] = value
        stamp = "2027-01-01T08:00:00Z"
        self.datasets[table]["updated"] = stamp
        self.metadata[table]["updated"] = stamp

    # --- request handling -------------------------------------------------------------------------
    def handle(self, method: str, raw_path: str, body: bytes) -> Reply:
        """The reply to one request."""
        parts = urlsplit(raw_path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        payload = json.loads(body) if body else None
        self.log.append({"method": method, "path": path, "query": query, "body": payload})
        if self.queued:
            return self.queued.pop(0)
        segments = [s for s in path.split("/") if s]
        if segments == ["config"]:
            return _json(self.config)
        if segments == ["tables"]:
            return self._tables(query)
        if len(segments) == 3 and segments[0] == "tables":
            table = segments[1]
            if table not in self.metadata:
                return Reply(404, NON_EXISTENT_TABLE, {"Content-Type": "application/json"})
            if segments[2] == "metadata":
                return _json(self.metadata[table])
            if segments[2] == "data":
                return self._data(table, method, query, payload)
        if len(segments) == 2 and segments[0] == "codeLists" and segments[1] in self.codelists:
            return _json(self.codelists[segments[1]])
        if len(segments) == 3 and segments[1] == "table" and segments[2] in self.v0:
            return _json(self.v0[segments[2]])
        return Reply(404, NON_EXISTENT_TABLE, {"Content-Type": "application/json"})

    def _tables(self, query: dict) -> Reply:
        size = int(query.get("pageSize", 20))
        number = int(query.get("pageNumber", 1))
        total_pages = max(1, math.ceil(len(self.tables) / size))
        page = {"pageNumber": number, "pageSize": size, "totalElements": len(self.tables), "totalPages": total_pages,
                "links": []}
        return _json({"language": query.get("lang", "no"), "tables": self.tables[(number - 1) * size : number * size],
                      "page": page, "links": []})

    def _data(self, table: str, method: str, query: dict, payload: dict | None) -> Reply:
        wanted: dict[str, list[str]] = {}
        for key, value in query.items():
            if key.startswith("valueCodes[") and key.endswith("]"):
                wanted[key[len("valueCodes[") : -1]] = value.split(",")
        if method == "POST" and payload:
            for item in payload.get("selection", []):
                wanted[item["variableCode"]] = list(item["valueCodes"])
        doc = self.datasets[table]
        meta = self.metadata[table]
        for dim_id in doc["id"]:
            ext = meta["dimension"][dim_id].get("extension") or {}
            if dim_id not in wanted and not ext.get("elimination"):
                return Reply(400, MISSING_SELECTION, {"Content-Type": "application/json"})
        cells = math.prod(len(v) for v in wanted.values())
        if cells > self.max_cells:
            return Reply(403, TOO_MANY_CELLS, {"Content-Type": "application/json"})
        try:
            return _json(slice_dataset(doc, wanted))
        except KeyError:
            return Reply(400, NON_EXISTENT_VALUE, {"Content-Type": "application/json"})


def _json(doc: dict) -> Reply:
    return Reply(200, json.dumps(doc, ensure_ascii=False), {"Content-Type": "application/json; charset=utf-8"})


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSsb

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.fake.handle(method, self.path, body)  # type: ignore[attr-defined]
        data = reply.body.encode("utf-8")
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format, *args) -> None:  # quiet
        return


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1:<free port> answering from a :class:`FakeSsb`."""

    def __init__(self, fake: FakeSsb):
        self.fake = fake
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.fake = fake  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        fake.base_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeClock:
    """A clock whose ``sleep`` advances time instantly and records each pause."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Advance the clock by ``seconds`` without waiting."""
        self.sleeps.append(seconds)
        self.now += seconds


def recorded_fake(shared_path) -> FakeSsb:
    """A :class:`FakeSsb` loaded with the recorded SCB v2 (TAB6471), tables listing, config and SSB v0 (07221)."""
    v2 = "no/pxwebapi-v2-scb/pxwebpy/"
    load = lambda rel: json.loads(shared_path(rel).read_text(encoding="utf-8"))  # noqa: E731
    listing = load(v2 + "tables.json")
    return FakeSsb(
        metadata={"TAB6471": load(v2 + "TAB6471_metadata.json")},
        datasets={"TAB6471": load(v2 + "TAB6471_data.json")},
        tables=listing["tables"],
        config=load(v2 + "config.json"),
        v0={"07221": load("no/ssb-pxweb/pxwebpy/07221_v0_response_no.json")},
    )


def small_table(table: str, *, label: str, updated: str, dims: list[tuple[str, dict[str, str]]], values: list,
                status: dict[str, str] | None = None) -> tuple[dict, dict]:
    """Metadata and data documents (JSON-stat 2.0, PxWebApi v2 shape) of a small table written inline by a test.

    ``dims`` lists (variable, {code: label}); ``ContentsCode`` gets role metric and ``Tid`` role time.
    """
    ids = [d for d, _ in dims]
    dimension = {
        d: {"label": d.lower(), "category": {"index": {c: i for i, c in enumerate(codes)}, "label": dict(codes)},
            "extension": {"elimination": False}}
        for d, codes in dims
    }
    base = {"version": "2.0", "class": "dataset", "label": label, "source": "Statistisk sentralbyrå",
            "updated": updated, "role": {"time": ["Tid"], "metric": ["ContentsCode"]}, "id": ids,
            "size": [len(codes) for _, codes in dims], "dimension": dimension,
            "extension": {"px": {"tableid": table, "decimals": 0, "language": "no"}}}
    metadata = {**copy.deepcopy(base), "value": []}
    data = {**copy.deepcopy(base), "value": list(values)}
    if status:
        data["status"] = dict(status)
    return metadata, data
