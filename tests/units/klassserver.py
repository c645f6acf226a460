"""A loopback Klass server for tests: serves recorded Klass responses by request path on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


def recorded_routes(klass_dir: Path) -> dict[str, bytes]:
    """Request path (without base) → recorded body, from the shared Klass 131 files."""
    saved = klass_dir / "kommuneendringer"
    routes = {
        "/classifications/131": (saved / "klass131_classification.json").read_bytes(),
        "/classifications/131/changes": (saved / "klass131_changes_1970_2024.json").read_bytes(),
        "/classifications/131/codesAt?date=2026-01-01": (
            klass_dir / "kommunebarometer-spike" / "klass131_codesAt_2026-01-01.json"
        ).read_bytes(),
    }
    for path in saved.glob("klass131_version_*.json"):
        body = path.read_bytes()
        routes[f"/versions/{json.loads(body)['id']}"] = body
    return routes


class KlassServer:
    """A threaded HTTP server on 127.0.0.1 (free port) answering like Klass; records each request."""

    def __init__(self, routes: dict[str, bytes]):
        self.routes = routes
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                server.requests.append((self.path, dict(self.headers)))
                key = parts.path.removeprefix("/api/klass/v1")
                body = server.match(key, query)
                if body is None:
                    payload = {"status": 404, "error": "Not Found", "message": f"Not found: {key}", "path": key}
                    self._send(404, json.dumps(payload).encode())
                else:
                    self._send(200, body)

            def _send(self, status: int, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/klass/v1"

    def match(self, path: str, query: dict) -> bytes | None:
        """The body for a path: exact date/language keys first, then the path alone (changes ignore from/to)."""
        if "date" in query:
            return self.routes.get(f"{path}?date={query['date']}")
        if "language" in query and query["language"] != "nb":
            return self.routes.get(f"{path}?language={query['language']}")
        return self.routes.get(path)

    def __enter__(self) -> KlassServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
