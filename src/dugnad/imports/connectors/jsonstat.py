"""JSON-stat 2.0 dataset merging: parts of a split PxWebApi request joined back into one dataset."""

from __future__ import annotations

import copy
import math


def _codes(dim: dict) -> list[str]:
    index = dim["category"].get("index")
    if isinstance(index, dict):
        return sorted(index, key=index.get)
    if isinstance(index, list):
        return list(index)
    return list((dim["category"].get("label") or {}).keys())


def _statuses(doc: dict, size: int) -> list[tuple[int, str]]:
    """(flat index, status) of every cell with a status (dict, list or one string for all)."""
    status = doc.get("status")
    if isinstance(status, dict):
        return [(int(k), v) for k, v in status.items()]
    if isinstance(status, list):
        if len(status) == 1:
            return [(i, status[0]) for i in range(size)]
        return [(i, v) for i, v in enumerate(status) if v is not None]
    if isinstance(status, str):
        return [(i, status) for i in range(size)]
    return []


def merge_datasets(parts: list[dict], order: dict[str, list[str]] | None = None) -> dict:
    """One JSON-stat 2.0 dataset holding the cells of all parts (same dimensions; categories in ``order``).

    ``order`` gives the wanted category order per dimension (the request's order); categories not
    named there follow in order of first appearance. Missing cells are ``null``; ``status`` becomes
    a sparse dict keyed by flat index, as SSB sends it.
    """
    if not parts:
        raise ValueError("nothing to merge")
    if len(parts) == 1:
        return parts[0]
    ids = list(parts[0]["id"])
    for part in parts[1:]:
        if list(part["id"]) != ids:
            raise ValueError(f"cannot merge datasets with dimensions {part['id']} and {ids}")
    order = order or {}
    merged_codes: dict[str, list[str]] = {}
    for dim_id in ids:
        seen = list(order.get(dim_id, []))
        known = set(seen)
        for part in parts:
            for code in _codes(part["dimension"][dim_id]):
                if code not in known:
                    seen.append(code)
                    known.add(code)
        present = set()
        for part in parts:
            present.update(_codes(part["dimension"][dim_id]))
        merged_codes[dim_id] = [c for c in seen if c in present]
    sizes = [len(merged_codes[d]) for d in ids]
    positions = {d: {c: i for i, c in enumerate(merged_codes[d])} for d in ids}
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(ids))]
    values: list = [None] * math.prod(sizes)
    status: dict[str, str] = {}
    for part in parts:
        part_codes = [_codes(part["dimension"][d]) for d in ids]
        targets = [0]  # flat position in the merged dataset of each cell of the part, in row-major order
        for i, d in enumerate(ids):
            offsets = [positions[d][c] * strides[i] for c in part_codes[i]]
            targets = [t + o for t in targets for o in offsets]
        part_values = part.get("value") or []
        if isinstance(part_values, dict):  # sparse JSON-stat values
            for key, value in part_values.items():
                values[targets[int(key)]] = value
        else:
            for target, value in zip(targets, part_values, strict=True):
                values[target] = value
        for flat, mark in _statuses(part, len(targets)):
            status[str(targets[flat])] = mark
    result = copy.deepcopy({k: v for k, v in parts[0].items() if k not in {"value", "status", "dimension", "size"}})
    result["size"] = sizes
    result["dimension"] = {}
    for dim_id in ids:
        labels: dict[str, str] = {}
        units: dict = {}
        for part in parts:
            category = part["dimension"][dim_id]["category"]
            labels.update(category.get("label") or {})
            units.update(category.get("unit") or {})
        dim = copy.deepcopy({k: v for k, v in parts[0]["dimension"][dim_id].items() if k != "category"})
        category = {"index": positions[dim_id], "label": {c: labels.get(c, c) for c in merged_codes[dim_id]}}
        if units:
            category["unit"] = {c: units[c] for c in merged_codes[dim_id] if c in units}
        dim["category"] = category
        result["dimension"][dim_id] = dim
    result["value"] = values
    if status:
        result["status"] = status
    return result
