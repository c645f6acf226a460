"""The checked structure of a JSON-stat 2.0 dataset: dimensions with ordered categories, located errors."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from dugnad.analytics.formats.problems import ProblemLog

MAX_CELLS = 200_000_000


@dataclass(frozen=True)
class Dimension:
    """One dimension: id, role (time/geo/metric or None) and category codes in ``index`` order with labels."""

    id: str
    codes: tuple[str, ...]
    labels: dict[str, str]
    role: str | None


@dataclass(frozen=True)
class Dataset:
    """A JSON-stat dataset: dimensions in ``id`` order, the raw ``value``/``status`` fields and the document."""

    dimensions: tuple[Dimension, ...]
    value: object
    status: object
    document: dict

    @property
    def size(self) -> int:
        """Number of cells (product of the dimension sizes)."""
        return math.prod(len(d.codes) for d in self.dimensions)


def parse_document(data: bytes, log: ProblemLog) -> dict:
    """The decoded JSON object; ``InputError`` with line/column for syntax errors and PxWebApi error bodies."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise log.fail(f"not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not text.strip():
        raise log.fail("the file is empty")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise log.fail(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", row=exc.lineno) from exc
    except ValueError as exc:
        raise log.fail(f"invalid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise log.fail(f"expected a JSON object, found {_kind(document)}", path="$")
    if "title" in document and "status" in document and "dimension" not in document:
        detail = f"{document.get('type', 'error')}: {document.get('title')} (HTTP status {document.get('status')})"
        raise log.fail(f"the file is a PxWebApi error response, not data — {detail}", path="$")
    if "dataset" in document and "dimension" not in document:
        raise log.fail("JSON-stat 1.x bundle; ask the API for json-stat2 (JSON-stat 2.0)", path="$.dataset")
    if document.get("class", "dataset") != "dataset":
        raise log.fail(f"JSON-stat class {document.get('class')!r} is not supported (only 'dataset')", path="$.class")
    return document


def parse_dataset(document: dict, log: ProblemLog) -> Dataset:
    """The dataset's dimensions in order, checked against ``id`` and ``size``."""
    ids = document.get("id")
    sizes = document.get("size")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise log.fail("'id' must be a non-empty list of dimension ids (strings)", path="$.id")
    if len(set(ids)) != len(ids):
        raise log.fail("'id' lists a dimension twice", path="$.id")
    if not isinstance(sizes, list) or len(sizes) != len(ids) or not all(_is_count(s) for s in sizes):
        raise log.fail(f"'size' must list {len(ids)} non-negative integers, one per dimension", path="$.size")
    dims_doc = document.get("dimension")
    if not isinstance(dims_doc, dict):
        raise log.fail("'dimension' must be an object", path="$.dimension")
    roles = _roles(document.get("role"), log)
    dimensions = []
    for dim_id, size in zip(ids, sizes, strict=True):
        dimension = _dimension(dim_id, dims_doc.get(dim_id), size, roles, log)
        if dimension is not None:
            dimensions.append(dimension)
    if log.has_errors:
        raise log.finish_error()
    dataset = Dataset(tuple(dimensions), document.get("value"), document.get("status"), document)
    if dataset.size > MAX_CELLS:
        raise log.fail(f"the cube has {dataset.size} cells, more than the {MAX_CELLS} this reader accepts", path="$.size")
    return dataset


def _roles(role: object, log: ProblemLog) -> dict[str, str]:
    """Dimension id → role from the top-level ``role`` object (wrong shapes are errors)."""
    if role is None:
        return {}
    if not isinstance(role, dict):
        raise log.fail("'role' must be an object", path="$.role")
    roles: dict[str, str] = {}
    for name, members in role.items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise log.fail("role members must be a list of dimension ids", path=f"$.role.{name}")
        for member in members:
            roles.setdefault(member, name)
    return roles


def _dimension(dim_id: str, doc: object, size: int, roles: dict[str, str], log: ProblemLog) -> Dimension | None:
    """One dimension with its categories in ``index`` order (array or object form)."""
    path = f"$.dimension.{dim_id}"
    if not isinstance(doc, dict):
        log.error("dimension listed in 'id' is missing or not an object", path=path)
        return None
    category = doc.get("category")
    if not isinstance(category, dict):
        log.error("dimension has no 'category' object", path=f"{path}.category")
        return None
    labels = category.get("label", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        log.error("'label' must map category codes to strings", path=f"{path}.category.label")
        return None
    codes = _category_codes(category.get("index"), labels, f"{path}.category.index", log)
    if codes is None:
        return None
    if len(codes) != size:
        log.error(f"dimension has {len(codes)} categories but 'size' says {size}", path=f"{path}.category.index")
        return None
    return Dimension(id=dim_id, codes=codes, labels=labels, role=roles.get(dim_id))


def _category_codes(index: object, labels: dict, path: str, log: ProblemLog) -> tuple[str, ...] | None:
    """Category codes ordered by ``index`` (list form, object form, or the single label when absent)."""
    if index is None:
        if len(labels) == 1:
            return tuple(labels)
        log.error("category has no 'index' (allowed only with exactly one label)", path=path)
        return None
    if isinstance(index, list):
        if not all(isinstance(c, str) for c in index) or len(set(index)) != len(index):
            log.error("'index' list must hold distinct category codes (strings)", path=path)
            return None
        return tuple(index)
    if isinstance(index, dict):
        positions = list(index.values())
        if not all(_is_count(p) for p in positions) or sorted(positions) != list(range(len(positions))):
            log.error("'index' object must map codes to positions 0…n-1, each once", path=path)
            return None
        return tuple(sorted(index, key=index.__getitem__))
    log.error(f"'index' must be a list or an object, found {_kind(index)}", path=path)
    return None


def _is_count(value: object) -> bool:
    """Whether ``value`` is a non-negative integer (not a boolean)."""
    return type(value) is int and value >= 0


def _kind(value: object) -> str:
    """JSON name of a value's type, for messages."""
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _reject_constant(name: str) -> object:
    """Refuse the non-standard JSON constants NaN and Infinity."""
    raise ValueError(f"non-standard JSON constant {name}")
