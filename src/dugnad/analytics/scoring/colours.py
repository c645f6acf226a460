"""Indicator colours (four colours + grey) and the SDSN two-worst goal colour rule (methodology §4–5)."""

from __future__ import annotations

from dugnad.analytics.scoring.normalise import oriented_sql


def indicator_colour_sql() -> str:
    """SQL CASE giving an indicator's colour from its oriented value and thresholds (ties to the better colour)."""
    x, g, r = oriented_sql("value"), oriented_sql("green"), oriented_sql("red")
    return (
        f"CASE WHEN value IS NULL THEN 'grey' WHEN {x} >= {g} THEN 'green' "
        f"WHEN {x} >= ({g} + {r}) / 2.0 THEN 'yellow' WHEN {x} >= {r} THEN 'orange' ELSE 'red' END"
    )


def continuous_scale_sql() -> str:
    """SQL for the 0–3 continuous scale of §5 step 4 (decided on R before any clipping at LB)."""
    x, g, r = oriented_sql("value"), oriented_sql("green"), oriented_sql("red")
    ub, lb = oriented_sql("upper_bound"), oriented_sql("lower_bound")
    return (
        f"CASE WHEN value IS NULL THEN NULL "
        f"WHEN {x} < {r} THEN (CASE WHEN {r} = {lb} THEN 0.0 ELSE greatest(0.0, ({x} - {lb}) / ({r} - {lb})) END) "
        f"WHEN {x} < {g} THEN 1.0 + ({x} - {r}) / ({g} - {r}) "
        f"ELSE (CASE WHEN {ub} <= {g} THEN 3.0 ELSE least(3.0, 2.0 + ({x} - {g}) / ({ub} - {g})) END) END"
    )


def goal_colour_sql(n_set: str, n_avail: str, two: str, only_colour: str) -> str:
    """SQL CASE for the two-worst goal colour.

    ``n_set`` = dashboard indicators applying to the unit, ``n_avail`` = those with a value,
    ``two`` = list of the (at most) two lowest ``{'s': scale, 'c': colour}`` structs,
    ``only_colour`` = the colour when exactly one indicator is available.
    """
    a = f"(({two})[1].s + ({two})[2].s) / 2.0"
    both = f"(({two})[1].c = '{{c}}' AND ({two})[2].c = '{{c}}')"
    return (
        f"CASE WHEN {n_set} = 0 OR {n_avail} = 0 OR {n_avail} < 0.5 * {n_set} THEN 'grey' "
        f"WHEN {n_avail} = 1 THEN {only_colour} "
        f"WHEN {a} >= 2 THEN (CASE WHEN {both.format(c='green')} THEN 'green' ELSE 'yellow' END) "
        f"WHEN {a} >= 1.5 THEN 'yellow' "
        f"WHEN {a} >= 1 THEN 'orange' "
        f"ELSE (CASE WHEN {both.format(c='red')} THEN 'red' ELSE 'orange' END) END"
    )
