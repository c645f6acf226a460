"""Table metadata and selections of PxWebApi: value-code expressions, cell counts and splitting under the cell limit."""

from __future__ import annotations

import fnmatch
import math
import re
from dataclasses import dataclass, field

from dugnad.imports.connectors.errors import SsbError

#: SSB's limit of cells per data request (HTTP 403 above it).
MAX_CELLS = 800_000


@dataclass(frozen=True)
class Variable:
    """One variable (dimension) of a table: its codes in metadata order and whether it may be left out."""

    code: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    elimination: bool = False
    is_time: bool = False
    is_metric: bool = False
    codelists: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableMetadata:
    """What ``/tables/{id}/metadata`` says about a table: label, last update and variables."""

    table: str
    label: str
    updated: str
    variables: tuple[Variable, ...]

    def variable(self, code: str) -> Variable:
        """The variable with this code (raises :class:`SsbError` naming the table when unknown)."""
        for var in self.variables:
            if var.code == code:
                return var
        known = ", ".join(v.code for v in self.variables)
        raise SsbError(
            f"SSB-tabell {self.table}: variabelen {code!r} finnes ikke / no such variable (har / has: {known})",
            table=self.table,
        )

    @property
    def time_variable(self) -> str | None:
        """Code of the time variable, if the table has one."""
        return next((v.code for v in self.variables if v.is_time), None)

    @property
    def contents_variable(self) -> str | None:
        """Code of the contents (metric) variable, normally ``ContentsCode``."""
        return next((v.code for v in self.variables if v.is_metric), None)


def metadata_from_jsonstat(table: str, doc: dict) -> TableMetadata:
    """Parse a PxWebApi v2 metadata document (JSON-stat 2.0 with empty values) into :class:`TableMetadata`."""
    roles = doc.get("role") or {}
    time_ids, metric_ids = set(roles.get("time") or []), set(roles.get("metric") or [])
    variables = []
    for dim_id in doc.get("id", []):
        dim = doc["dimension"][dim_id]
        index = dim["category"].get("index") or {}
        codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        ext = dim.get("extension") or {}
        codelists = tuple(c.get("id", "") for c in ext.get("codelists") or [] if isinstance(c, dict))
        variables.append(
            Variable(
                code=dim_id,
                label=dim.get("label", dim_id),
                codes=tuple(codes),
                labels=dict(dim["category"].get("label") or {}),
                elimination=bool(ext.get("elimination", False)),
                is_time=dim_id in time_ids,
                is_metric=dim_id in metric_ids or dim_id == "ContentsCode",
                codelists=codelists,
            )
        )
    px = (doc.get("extension") or {}).get("px") or {}
    return TableMetadata(
        table=str(px.get("tableid") or table),
        label=doc.get("label", ""),
        updated=doc.get("updated", ""),
        variables=tuple(variables),
    )


_CALL = re.compile(r"^\s*(\w+)\(\s*([^()]*?)\s*\)\s*$")


def _select_one(expression: str, codes: tuple[str, ...]) -> list[str]:
    match = _CALL.match(expression)
    if match:
        name, arg = match.group(1).lower(), match.group(2)
        args = [a.strip() for a in arg.split(",")] if arg else []
        if name in {"top", "bottom"} and args and args[0].isdigit():
            count = int(args[0])
            return list(codes[-count:]) if name == "top" and count else list(codes[:count])
        if name == "from" and len(args) == 1:
            return [c for c in codes if c >= args[0]] if args[0] not in codes else list(codes[codes.index(args[0]) :])
        if name == "to" and len(args) == 1:
            return [c for c in codes if c <= args[0]] if args[0] not in codes else list(codes[: codes.index(args[0]) + 1])
        if name == "range" and len(args) == 2:
            return [c for c in codes if args[0] <= c <= args[1]]
        raise ValueError(f"unknown selection expression {expression!r}")
    if "*" in expression or "?" in expression:
        return [c for c in codes if fnmatch.fnmatchcase(c, expression)]
    if expression not in codes:
        raise KeyError(expression)
    return [expression]


def resolve_values(expressions: list[str] | tuple[str, ...], codes: tuple[str, ...]) -> list[str]:
    """Explicit value codes (metadata order, no duplicates) for expressions like ``*``, ``top(3)``, ``from(2015)``."""
    wanted: set[str] = set()
    for expression in expressions:
        wanted.update(_select_one(str(expression), codes))
    return [c for c in codes if c in wanted]


@dataclass(frozen=True)
class Selection:
    """A data request for one table: explicit value codes per variable, plus code lists and output values."""

    table: str
    values: dict[str, list[str]]
    codelists: dict[str, str] = field(default_factory=dict)
    output_values: dict[str, str] = field(default_factory=dict)

    @property
    def cells(self) -> int:
        """Number of cells the request returns (product of the value counts)."""
        return math.prod(len(v) for v in self.values.values()) if self.values else 0

    def key(self) -> dict:
        """A JSON-ready description used for cache keys and provenance."""
        return {
            "table": self.table,
            "values": {k: list(v) for k, v in self.values.items()},
            "codelists": dict(sorted(self.codelists.items())),
            "output_values": dict(sorted(self.output_values.items())),
        }


def build_selection(
    meta: TableMetadata,
    expressions: dict[str, list[str] | str],
    *,
    codelists: dict[str, str] | None = None,
    output_values: dict[str, str] | None = None,
    codelist_codes: dict[str, tuple[str, ...]] | None = None,
) -> Selection:
    """Resolve expressions per variable against metadata (or a code list's codes) into a :class:`Selection`.

    Variables left out must allow elimination; otherwise SSB would answer "Missing selection".
    """
    codelist_codes = codelist_codes or {}
    values: dict[str, list[str]] = {}
    for var in meta.variables:
        given = expressions.get(var.code)
        if given is None:
            if not var.elimination:
                raise SsbError(
                    f"SSB-tabell {meta.table}: variabelen {var.code} må ha et utvalg / "
                    f"variable {var.code} needs a selection (it cannot be eliminated)",
                    table=meta.table,
                )
            continue
        given_list = [given] if isinstance(given, str) else list(given)
        codes = codelist_codes.get(var.code, var.codes)
        try:
            resolved = resolve_values(given_list, codes)
        except KeyError as exc:
            raise SsbError(
                f"SSB-tabell {meta.table}: verdien {exc.args[0]!r} finnes ikke i variabelen {var.code} / "
                f"value {exc.args[0]!r} does not exist in variable {var.code}",
                table=meta.table,
                title="Non-existent value",
            ) from None
        except ValueError as exc:
            raise SsbError(f"SSB-tabell {meta.table}, variabel {var.code}: {exc}", table=meta.table) from None
        if not resolved:
            raise SsbError(
                f"SSB-tabell {meta.table}: utvalget {given_list} for {var.code} gir ingen verdier / selects no values",
                table=meta.table,
            )
        values[var.code] = resolved
    for code in expressions:
        meta.variable(code)  # raises for unknown variables
    return Selection(meta.table, values, dict(codelists or {}), dict(output_values or {}))


def split_selection(selection: Selection, max_cells: int = MAX_CELLS) -> list[Selection]:
    """Split along the largest variable (recursively) until every part has at most ``max_cells`` cells."""
    if max_cells < 1:
        raise ValueError("max_cells must be >= 1")
    if selection.cells <= max_cells:
        return [selection]
    splittable = [(len(v), k) for k, v in selection.values.items() if len(v) > 1]
    if not splittable:
        return [selection]
    size, largest = max(splittable)
    rest = selection.cells // size
    chunk = max(1, max_cells // rest)
    parts: list[Selection] = []
    codes = selection.values[largest]
    for start in range(0, size, chunk):
        values = dict(selection.values)
        values[largest] = codes[start : start + chunk]
        part = Selection(selection.table, values, selection.codelists, selection.output_values)
        parts.extend(split_selection(part, max_cells))
    return parts
