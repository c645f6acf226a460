"""Unit rows from versioned code lists: one row per code while its name (and parent) stay the same."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass
class Row:
    """A unit row being built: code, names and the validity period [valid_from, valid_to)."""

    code: str
    name: str
    valid_from: str
    valid_to: str | None
    name_nn: str = ""
    name_en: str = ""
    parent: str | None = None
    other_names: dict[str, str] = field(default_factory=dict)


def rows_from_versions(versions: list[tuple[str, str | None, list[tuple[str, str, str, str]]]]) -> list[Row]:
    """Rows from consecutive versions (valid_from, valid_to, [(code, name, name_nn, name_en)]): a code whose
    names persist into the next version keeps one row spanning both."""
    open_rows: dict[str, Row] = {}
    rows: list[Row] = []
    for valid_from, valid_to, items in versions:
        seen = set()
        for code, name, name_nn, name_en in items:
            seen.add(code)
            row = open_rows.get(code)
            if row and row.valid_to == valid_from and (row.name, row.name_nn, row.name_en) == (name, name_nn, name_en):
                row.valid_to = valid_to
                continue
            row = Row(code, name, valid_from, valid_to, name_nn, name_en)
            open_rows[code] = row
            rows.append(row)
        for code in [c for c in open_rows if c not in seen]:
            del open_rows[code]
    return sorted(rows, key=lambda r: (r.code, r.valid_from))


def split_at_parents(rows: list[Row], parents: list[Row], parent_code) -> tuple[list[Row], list[str]]:
    """Rows cut where their parent row changes, each with its parent code; also the codes with no parent
    for part of their period. ``parent_code(row)`` gives the parent's code."""
    by_code: dict[str, list[Row]] = {}
    for p in parents:
        by_code.setdefault(p.code, []).append(p)
    result, orphans = [], []
    for row in rows:
        code = parent_code(row)
        cuts = sorted(
            {p.valid_from for p in by_code.get(code, [])} | {p.valid_to for p in by_code.get(code, []) if p.valid_to}
        )
        start = row.valid_from
        for cut in [c for c in cuts if row.valid_from < c and (row.valid_to is None or c < row.valid_to)] + [row.valid_to]:
            piece = replace(row, valid_from=start, valid_to=cut, parent=code, other_names=dict(row.other_names))
            if not any(_covers(p, piece) for p in by_code.get(code, [])):
                orphans.append(f"{row.code} {row.name} ({start}–{cut or ''})")
            result.append(piece)
            start = cut  # type: ignore[assignment]
    return result, orphans


def _covers(parent: Row, row: Row) -> bool:
    return parent.valid_from <= row.valid_from and (
        parent.valid_to is None or (row.valid_to is not None and row.valid_to <= parent.valid_to)
    )
