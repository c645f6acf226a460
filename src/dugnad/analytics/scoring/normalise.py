"""Normalisation of raw values to 0–100 scores (methodology §2) as DuckDB SQL expressions."""

from __future__ import annotations


def raw_score_sql(value: str = "value", ub: str = "upper_bound", lb: str = "lower_bound") -> str:
    """SQL for the unclipped normalised score ``100 * (x - LB) / (UB - LB)`` (used by trends)."""
    return f"(100.0 * ({value} - {lb}) / ({ub} - {lb}))"


def score_sql(value: str = "value", ub: str = "upper_bound", lb: str = "lower_bound") -> str:
    """SQL for the normalised score clipped to [0, 100]; the same formula serves 'lower is better'."""
    return f"greatest(0.0, least(100.0, {raw_score_sql(value, ub, lb)}))"


def oriented_sql(column: str, ub: str = "upper_bound", lb: str = "lower_bound") -> str:
    """SQL that negates ``column`` when lower is better (UB < LB), so higher is always better."""
    return f"(CASE WHEN {ub} < {lb} THEN -({column}) ELSE ({column}) END)"
