"""Builds small JSON-stat 2.0 documents for the format tests."""

from __future__ import annotations

import json
import math


def jsonstat(dimensions: dict[str, list[str]], value, *, status=None, roles=None, index_form: str = "object",
             labels: dict[str, dict[str, str]] | None = None) -> bytes:
    """A JSON-stat 2.0 dataset with the given dimensions (codes in order), values and status."""
    dims = {}
    for dim_id, codes in dimensions.items():
        index = codes if index_form == "array" else {c: i for i, c in enumerate(codes)}
        category = {"index": index, "label": (labels or {}).get(dim_id, {c: c for c in codes})}
        dims[dim_id] = {"label": dim_id, "category": category}
    document = {
        "version": "2.0", "class": "dataset", "id": list(dimensions), "size": [len(c) for c in dimensions.values()],
        "dimension": dims, "value": value,
        "role": roles if roles is not None else {"time": ["Tid"], "metric": ["ContentsCode"]},
    }
    if status is not None:
        document["status"] = status
    assert not isinstance(value, list) or len(value) == math.prod(document["size"])
    return json.dumps(document).encode()
