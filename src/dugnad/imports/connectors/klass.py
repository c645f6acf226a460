"""SSB Klass API client and Klass sources: the live API (URL) or a directory of saved JSON responses."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import httpx

from dugnad.env import env
from dugnad.units.registry.klass import KlassDocument


def klass_base_url() -> str:
    """The Klass base URL: the declared setting ``DUGNAD_KLASS_BASE_URL`` (SSB's public API by default)."""
    return env("DUGNAD_KLASS_BASE_URL")


class KlassError(Exception):
    """A failed Klass request or an unusable saved response: says what was asked, where, and why."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(message)


class KlassNotFound(KlassError):
    """Klass has no such classification, version, table or saved response (HTTP 404)."""


def _reason(response: httpx.Response) -> str:
    """The error text of a Klass error body (``{"error", "message"}``), or the HTTP reason phrase."""
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        body = None
    if isinstance(body, dict):
        text = body.get("message") or body.get("error") or body.get("title")
        if text:
            return str(text)
    return response.reason_phrase or "error"


class KlassClient:
    """HTTP client for the Klass API (``DUGNAD_KLASS_BASE_URL``), asking for JSON."""

    def __init__(self, base_url: str | None = None, *, timeout: float = 30.0, http: httpx.Client | None = None):
        self.base_url = (base_url or klass_base_url()).rstrip("/")
        self.http = http or httpx.Client(timeout=timeout, headers={"Accept": "application/json"})

    def get(self, path: str, **params: object) -> dict:
        """GET a Klass resource as JSON; raises KlassError (KlassNotFound for 404) with URL, status and reason."""
        query = {k: str(v) for k, v in params.items() if v is not None}
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self.http.get(url, params=query, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise KlassError(f"Klass: kunne ikke nå {url} / could not reach Klass ({exc})", url=url) from exc
        if response.status_code >= 400:
            kind = KlassNotFound if response.status_code == 404 else KlassError
            raise kind(
                f"Klass: {path} ga HTTP {response.status_code} / returned HTTP {response.status_code}: {_reason(response)}",
                url=str(response.request.url),
                status=response.status_code,
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise KlassError(f"Klass: {path} svarte ikke med JSON / did not answer with JSON", url=url) from exc
        if not isinstance(data, dict):
            raise KlassError(f"Klass: {path}: expected a JSON object", url=url)
        return data

    def classification(self, classification_id: int) -> dict:
        """The classification with its versions (``/classifications/{id}``)."""
        return self.get(f"classifications/{classification_id}")

    def version(self, version_id: int, *, language: str | None = None) -> dict:
        """One version with its items (``/versions/{id}``)."""
        return self.get(f"versions/{version_id}", language=language)

    def codes_at(self, classification_id: int, date: dt.date, *, language: str | None = None) -> dict:
        """The codes valid on a date (``/classifications/{id}/codesAt?date=``)."""
        return self.get(f"classifications/{classification_id}/codesAt", date=date.isoformat(), language=language)

    def changes(self, classification_id: int, from_date: dt.date, to_date: dt.date) -> dict:
        """The code changes between two dates (``/classifications/{id}/changes?from=&to=``)."""
        dates = {"from": from_date.isoformat(), "to": to_date.isoformat()}
        return self.get(f"classifications/{classification_id}/changes", **dates)

    def correspondence_table(self, table_id: int) -> dict:
        """A correspondence table between two versions (``/correspondencetables/{id}``)."""
        return self.get(f"correspondencetables/{table_id}")

    def corresponds(self, classification_id: int, target_id: int, from_date: dt.date, to_date: dt.date) -> dict:
        """Correspondences to another classification over a period (``/classifications/{id}/corresponds``)."""
        return self.get(
            f"classifications/{classification_id}/corresponds",
            targetClassificationId=target_id,
            **{"from": from_date.isoformat(), "to": to_date.isoformat()},
        )


class KlassApiSource:
    """Klass responses from the live API (or any server answering like it)."""

    def __init__(self, client: KlassClient):
        self.client = client

    def _doc(self, payload: dict, request: str) -> KlassDocument:
        return KlassDocument(payload, f"{self.client.base_url}/{request}", request)

    def classification(self, classification_id: int) -> KlassDocument:
        """The classification with its versions."""
        return self._doc(self.client.classification(classification_id), f"classifications/{classification_id}")

    def version(self, version_id: int, *, language: str | None = None) -> KlassDocument:
        """One version (in a language)."""
        suffix = f"?language={language}" if language else ""
        return self._doc(self.client.version(version_id, language=language), f"versions/{version_id}{suffix}")

    def changes(self, classification_id: int, from_date: dt.date, to_date: dt.date) -> KlassDocument:
        """The code changes between two dates."""
        payload = self.client.changes(classification_id, from_date, to_date)
        return self._doc(payload, f"classifications/{classification_id}/changes")

    def codes_at(self, classification_id: int, date: dt.date) -> KlassDocument:
        """The codes valid on a date."""
        payload = self.client.codes_at(classification_id, date)
        return self._doc(payload, f"classifications/{classification_id}/codesAt?date={date.isoformat()}")

    def has_classification(self, classification_id: int) -> bool:
        """The API serves every classification."""
        return True

    def has_version(self, version_id: int) -> bool:
        """The API serves every version."""
        return True

    def names_date(self, classification_id: int) -> dt.date | None:
        """Today: current names come from ``codesAt`` today."""
        return dt.date.today()


SAVED_NAME = re.compile(r"klass(?P<cid>\d+)_(?P<kind>codesAt|changes)(?:_(?P<rest>.*))?\.json$")


class KlassDirectorySource:
    """Klass responses saved as JSON files in a directory (searched recursively).

    Versions and classifications are recognised by content (their ``id``); change lists and codesAt
    responses by name: ``klass<ID>_changes[_…].json`` and ``klass<ID>_codesAt_<YYYY-MM-DD>.json``.
    """

    def __init__(self, root: Path):
        if not root.is_dir():
            raise KlassError(f"Klass: mappen finnes ikke / directory not found: {root}")
        self.root = root
        self.classifications: dict[int, Path] = {}
        self.versions: dict[int, Path] = {}
        self.changes_files: dict[int, list[Path]] = {}
        self.codes_files: dict[tuple[int, dt.date], Path] = {}
        for path in sorted(root.rglob("*.json")):
            self._index(path)

    def _read(self, path: Path) -> dict:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KlassError(f"Klass: {path}: not readable JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise KlassError(f"Klass: {path}: expected a JSON object")
        return data

    def _index(self, path: Path) -> None:
        named = SAVED_NAME.search(path.name)
        if named:
            cid = int(named["cid"])
            if named["kind"] == "changes":
                self.changes_files.setdefault(cid, []).append(path)
            else:
                try:
                    self.codes_files[(cid, dt.date.fromisoformat(named["rest"] or ""))] = path
                except ValueError as exc:
                    expected = "klass<ID>_codesAt_YYYY-MM-DD.json"
                    raise KlassError(f"Klass: {path}: codesAt file name needs a date ({expected})") from exc
            return
        data = self._read(path)
        if "classificationItems" in data and "id" in data:
            self.versions[int(data["id"])] = path
        elif "versions" in data and "classificationType" in data and "id" in data:
            self.classifications[int(data["id"])] = path

    def _doc(self, path: Path | None, request: str) -> KlassDocument:
        if path is None:
            raise KlassNotFound(f"Klass: {request} finnes ikke i / is not saved in {self.root}")
        return KlassDocument(self._read(path), str(path), request)

    def classification(self, classification_id: int) -> KlassDocument:
        """The saved classification response."""
        return self._doc(self.classifications.get(classification_id), f"classifications/{classification_id}")

    def version(self, version_id: int, *, language: str | None = None) -> KlassDocument:
        """The saved version response (saved files are in bokmål; other languages are not saved)."""
        if language not in (None, "nb"):
            raise KlassNotFound(f"Klass: versions/{version_id}?language={language} is not saved in {self.root}")
        return self._doc(self.versions.get(version_id), f"versions/{version_id}")

    def changes(self, classification_id: int, from_date: dt.date, to_date: dt.date) -> KlassDocument:
        """The saved change lists of a classification, merged and cut to [from_date, to_date)."""
        paths = self.changes_files.get(classification_id)
        if not paths:
            return self._doc(None, f"classifications/{classification_id}/changes")
        entries: dict[tuple, dict] = {}
        for path in paths:
            for c in self._read(path).get("codeChanges") or []:
                if from_date.isoformat() <= str(c.get("changeOccurred")) < to_date.isoformat():
                    entries[(c.get("oldCode"), c.get("newCode"), c.get("changeOccurred"))] = c
        origin = ", ".join(str(p) for p in paths)
        return KlassDocument({"codeChanges": list(entries.values())}, origin, f"classifications/{classification_id}/changes")

    def codes_at(self, classification_id: int, date: dt.date) -> KlassDocument:
        """The saved codesAt response for exactly this date."""
        request = f"classifications/{classification_id}/codesAt?date={date.isoformat()}"
        return self._doc(self.codes_files.get((classification_id, date)), request)

    def has_classification(self, classification_id: int) -> bool:
        """Whether the classification response is saved here."""
        return classification_id in self.classifications

    def has_version(self, version_id: int) -> bool:
        """Whether the version response is saved here."""
        return version_id in self.versions

    def names_date(self, classification_id: int) -> dt.date | None:
        """The latest date with a saved codesAt response, if any."""
        dates = [d for (cid, d) in self.codes_files if cid == classification_id]
        return max(dates) if dates else None


def klass_source(spec: str | None = None) -> KlassApiSource | KlassDirectorySource:
    """A Klass source from a URL (http/https: the API) or a directory path; default: ``DUGNAD_KLASS_BASE_URL``."""
    spec = spec or klass_base_url()
    if spec.startswith(("http://", "https://")):
        return KlassApiSource(KlassClient(spec))
    return KlassDirectorySource(Path(spec).expanduser())
