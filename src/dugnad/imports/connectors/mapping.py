"""The SSB mapping file: which SSB table, contents and selection feed each Dugnad indicator (YAML, validated)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.imports.connectors.transforms import TRANSFORMS

#: Fields of a table selection (an indicator entry, ``defaults`` or a transform's denominator).
TABLE_FIELDS: dict[str, str] = {
    "table": "SSB table id, e.g. \"07459\" (quote it)",
    "contents": "value code of the contents variable (ContentsCode), e.g. Personer1",
    "filters": "other variables → value code(s); variables left out are eliminated (summed) by SSB",
    "region_variable": "the region variable: Region, KOKkommuneregion0000, KOKfylkesregion0000 …",
    "regions": "region codes or expressions (default \"*\": all)",
    "codelist": "code list for the region variable, e.g. agg_KommSummer or vs_Kommun",
    "output_values": "aggregated or single (with a code list)",
    "years": "time codes or an expression: from(2015), top(5), \"*\"",
    "time_variable": "the time variable (default: the table's, normally Tid)",
    "contents_variable": "the contents variable (default: the table's, normally ContentsCode)",
    "lang": "no or en (labels)",
    "sum_over": "variables whose selected values are summed per region and period (e.g. [Alder])",
}
INDICATOR_FIELDS = {**TABLE_FIELDS, "label": "free text shown in reports", "transform": "a registered transformation",
                    "unknown_units": "skip (default: drop rows of units not in the registry, with a warning) or error"}
TOP_FIELDS = {"version", "defaults", "indicators"}
OUTPUT_VALUES = {"aggregated", "single"}
UNKNOWN_UNITS = {"skip", "error"}


@dataclass(frozen=True)
class TableSpec:
    """What to fetch from one SSB table: contents code, filters, region and time selection."""

    table: str
    contents: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    region_variable: str = "Region"
    regions: list[str] = field(default_factory=lambda: ["*"])
    codelist: str | None = None
    output_values: str | None = None
    years: list[str] = field(default_factory=lambda: ["*"])
    time_variable: str | None = None
    contents_variable: str | None = None
    lang: str = "no"
    sum_over: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TransformSpec:
    """A transformation by name with its number argument or denominator table."""

    name: str
    number: float | None = None
    denominator: TableSpec | None = None


@dataclass(frozen=True)
class IndicatorMapping:
    """One Dugnad indicator fed from SSB: its key (indicator code or framework:code), source and transform."""

    key: str
    source: TableSpec
    label: str = ""
    transform: TransformSpec | None = None
    unknown_units: str = "skip"


@dataclass(frozen=True)
class SsbMapping:
    """A whole mapping file: the indicators in file order."""

    path: str
    indicators: tuple[IndicatorMapping, ...]

    def tables(self) -> list[str]:
        """Every SSB table id the mapping reads (indicators and denominators), without duplicates."""
        found: list[str] = []
        for item in self.indicators:
            for spec in (item.source, item.transform.denominator if item.transform else None):
                if spec is not None and spec.table not in found:
                    found.append(spec.table)
        return found


class _Reader:
    """Validates the parsed YAML, collecting every problem with file and path (``indicators.X.field``)."""

    def __init__(self, report: ValidationReport, file: str):
        self.report = report
        self.file = file

    def error(self, path: str, reason: str, value: object = None) -> None:
        self.report.add(reason, file=self.file, path=path, value=None if value is None else repr(value))

    def text(self, value: object, path: str, *, table_id: bool = False) -> str | None:
        if isinstance(value, bool) or value is None:
            self.error(path, "must be a text", value)
            return None
        if isinstance(value, int) and table_id and len(str(value)) < 5:
            self.error(path, "table ids have 5 digits; quote the id so YAML keeps its leading zero (\"07459\")", value)
            return None
        if isinstance(value, int | float | str):
            text = str(value).strip()
            if not text:
                self.error(path, "must not be empty")
                return None
            return text
        self.error(path, "must be a text", value)
        return None

    def codes(self, value: object, path: str) -> list[str] | None:
        items = value if isinstance(value, list) else [value]
        if not items:
            self.error(path, "must name at least one value code")
            return None
        found = [self.text(item, path) for item in items]
        return None if any(c is None for c in found) else [c for c in found if c]

    def table_spec(self, raw: dict, path: str, defaults: dict, *, need_contents: bool = True) -> TableSpec | None:
        merged = {**defaults, **raw}
        ok = True
        for name in ("table", "contents") if need_contents else ("table",):
            if merged.get(name) in (None, ""):
                self.error(f"{path}.{name}", f"missing: {TABLE_FIELDS[name]}")
                ok = False
        table = self.text(merged["table"], f"{path}.table", table_id=True) if merged.get("table") is not None else None
        contents = self.text(merged["contents"], f"{path}.contents") if merged.get("contents") is not None else None
        filters: dict[str, list[str]] = {}
        raw_filters = merged.get("filters") or {}
        if not isinstance(raw_filters, dict):
            self.error(f"{path}.filters", "must be a mapping variable → value code(s)", raw_filters)
            ok = False
        else:
            for variable, codes in raw_filters.items():
                found = self.codes(codes, f"{path}.filters.{variable}")
                ok = ok and found is not None
                filters[str(variable)] = found or []
        single = {}
        for name in ("region_variable", "codelist", "output_values", "time_variable", "contents_variable", "lang"):
            if merged.get(name) is not None:
                single[name] = self.text(merged[name], f"{path}.{name}")
                ok = ok and single[name] is not None
        if single.get("output_values") and single["output_values"] not in OUTPUT_VALUES:
            self.error(f"{path}.output_values", f"must be one of {', '.join(sorted(OUTPUT_VALUES))}",
                       single["output_values"])
            ok = False
        lists = {}
        for name in ("regions", "years", "sum_over"):
            if merged.get(name) is not None:
                lists[name] = self.codes(merged[name], f"{path}.{name}")
                ok = ok and lists[name] is not None
        for variable in lists.get("sum_over") or []:
            if variable not in filters:
                self.error(f"{path}.sum_over", "names a variable without filters (SSB already sums left-out variables)",
                           variable)
                ok = False
        if not ok or table is None or (need_contents and contents is None):
            return None
        return TableSpec(table=table, contents=contents or "", filters=filters, **single, **lists)  # type: ignore[arg-type]

    def transform(self, raw: object, path: str, source: dict) -> TransformSpec | bool | None:
        """The transform spec; ``False`` when invalid."""
        if raw is None:
            return None
        if isinstance(raw, str):
            name, argument = raw.strip(), None
        elif isinstance(raw, dict) and len(raw) == 1:
            name, argument = next(iter(raw.items()))
        else:
            self.error(path, "must be a name (percent) or one name with its argument (scale: 0.001)", raw)
            return False
        spec = TRANSFORMS.get(str(name))
        if spec is None:
            self.error(path, f"unknown transform (known: {', '.join(sorted(TRANSFORMS))})", name)
            return False
        where = f"{path}.{name}"
        if spec.parameter == "none":
            if argument not in (None, True):
                self.error(where, "takes no argument", argument)
                return False
            return TransformSpec(spec.name)
        if spec.parameter == "number":
            if isinstance(argument, bool) or not isinstance(argument, int | float):
                self.error(where, "needs a number, e.g. scale: 0.001", argument)
                return False
            return TransformSpec(spec.name, number=float(argument))
        if not isinstance(argument, dict):
            self.error(where, "needs the denominator table: {table: \"07459\", contents: Personer1, filters: …}", argument)
            return False
        inherited = {k: v for k, v in source.items() if k in {"region_variable", "regions", "codelist", "output_values",
                                                               "years", "lang"}}
        unknown = set(argument) - set(TABLE_FIELDS)
        for name_ in sorted(unknown):
            self.error(f"{where}.{name_}", f"unknown field (allowed: {', '.join(TABLE_FIELDS)})")
        denominator = self.table_spec(argument, where, inherited)
        return False if denominator is None or unknown else TransformSpec(spec.name, denominator=denominator)


def mapping_from_data(data: object, *, file: str = "mapping") -> SsbMapping:
    """Validate parsed mapping data; raises :class:`InputError` listing every problem (file, indicator, field)."""
    report = ValidationReport(source=file)
    reader = _Reader(report, file)
    if not isinstance(data, dict):
        reader.error("$", "the file must be a mapping with an 'indicators' section")
        raise InputError(report)
    for key in sorted(set(data) - TOP_FIELDS):
        reader.error(str(key), f"unknown top-level field (allowed: {', '.join(sorted(TOP_FIELDS))})")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        reader.error("defaults", "must be a mapping of fields shared by all indicators", defaults)
        defaults = {}
    for key in sorted(set(defaults) - set(INDICATOR_FIELDS)):
        reader.error(f"defaults.{key}", f"unknown field (allowed: {', '.join(INDICATOR_FIELDS)})")
    indicators = data.get("indicators")
    if not isinstance(indicators, dict) or not indicators:
        reader.error("indicators", "must map each Dugnad indicator code to its SSB source", indicators)
        raise InputError(report)
    found: list[IndicatorMapping] = []
    for key, raw in indicators.items():
        path = f"indicators.{key}"
        if not isinstance(raw, dict):
            reader.error(path, "must be a mapping with at least table and contents", raw)
            continue
        for name in sorted(set(raw) - set(INDICATOR_FIELDS)):
            reader.error(f"{path}.{name}", f"unknown field (allowed: {', '.join(INDICATOR_FIELDS)})")
        own = {k: v for k, v in raw.items() if k in TABLE_FIELDS}
        base = {k: v for k, v in defaults.items() if k in TABLE_FIELDS}
        source = reader.table_spec(own, path, base)
        transform = reader.transform(raw.get("transform", defaults.get("transform")), f"{path}.transform", {**base, **own})
        unknown_units = str(raw.get("unknown_units", defaults.get("unknown_units", "skip")))
        if unknown_units not in UNKNOWN_UNITS:
            reader.error(f"{path}.unknown_units", f"must be one of {', '.join(sorted(UNKNOWN_UNITS))}", unknown_units)
        label = str(raw.get("label") or "")
        if source is not None and transform is not False and unknown_units in UNKNOWN_UNITS:
            found.append(IndicatorMapping(str(key), source, label, transform or None, unknown_units))  # type: ignore[arg-type]
    if not report.ok:
        raise InputError(report)
    return SsbMapping(path=file, indicators=tuple(found))


def mapping_load(path: str | Path) -> SsbMapping:
    """Read and validate a mapping YAML file; raises :class:`InputError` with located problems."""
    path = Path(path)
    report = ValidationReport(source=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        report.add(f"cannot read the mapping file: {exc.strerror or exc}", file=str(path))
        raise InputError(report) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
        report.add(reason, file=str(path), row=mark.line + 1 if mark else None)
        raise InputError(report) from exc
    return mapping_from_data(data, file=str(path))
