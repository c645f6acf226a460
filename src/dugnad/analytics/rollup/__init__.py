"""Roll-up across levels: weighted means of member values, coverage, and each member's share of the gap to target.

A *parent* is any unit with members in the unit tree (a county, the country). For every parent and
every (indicator, period) that occurs in the values, :func:`rollup` computes

* the roll-up value: the mean of the members' values, population-weighted or unweighted
  (:class:`Weighting`, recorded on every row);
* coverage: the share of members with data and the share of the members' population with data;
* the parent's own published value beside the roll-up, when the values contain one;
* the gap to target and each member's contribution to it (see :class:`Contribution`).

Members are either the parent's lowest-level descendants (``Basis.LEAVES``: a country is rolled up
from its municipalities, not from its counties) or its direct children (``Basis.CHILDREN``: the mean
of the children's roll-ups, "mean of means"). See ``docs/rollup.md`` for the exact definitions.
"""


from dugnad.analytics.rollup.aggregation import rollup
from dugnad.analytics.rollup.rows import goalposts_from_rows, members_from_rows, parse_number, values_from_rows
from dugnad.analytics.rollup.tree import UnitTree
from dugnad.analytics.rollup.types import (
    CONTRIBUTION_COLUMNS,
    ROLLUP_COLUMNS,
    Aggregation,
    Basis,
    Contribution,
    Direction,
    Goalpost,
    Member,
    MemberParts,
    RollupRow,
    Weighting,
    contribution_records,
    rollup_record,
)

__all__ = [
    "CONTRIBUTION_COLUMNS",
    "ROLLUP_COLUMNS",
    "Aggregation",
    "Basis",
    "Contribution",
    "Direction",
    "Goalpost",
    "Member",
    "MemberParts",
    "RollupRow",
    "UnitTree",
    "Weighting",
    "contribution_records",
    "goalposts_from_rows",
    "members_from_rows",
    "parse_number",
    "rollup",
    "rollup_record",
    "values_from_rows",
]
