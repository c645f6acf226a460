"""Model instances from rows that fixed SQL statements read, for the hot paths that skip the ORM's query compilation.

``columns(model, alias)`` lists a model's columns for a ``SELECT``; ``instance(model, values)`` builds the instance
from them with the ORM's own conversions (the database backend's and the field's: JSON text to Python, SQLite's
naive date-times to aware ones, 0/1 to booleans …), so it equals the instance the ORM would build from the same
row. ``fields`` (attribute names) limits both to some fields; the others are deferred and loaded on first use.
It lives in ``accounts``, the lowest app that reads this way (every request's user and memberships); the grid's save
(``rounds.selectors``) uses it too. (``common`` imports no Django.)
"""

from __future__ import annotations

from django.db import connections
from django.db.models.expressions import Col


def _fields(model, fields: frozenset[str] | None) -> list:
    return [f for f in model._meta.concrete_fields if fields is None or f.attname in fields]


def columns(model, alias: str, fields: frozenset[str] | None = None) -> str:
    """``alias.column, …`` of the model's (chosen) fields, in the model's field order."""
    return ", ".join(f"{alias}.{f.column}" for f in _fields(model, fields))


def width(model, fields: frozenset[str] | None = None) -> int:
    """How many columns ``columns`` lists."""
    return len(_fields(model, fields))


def _plan(model, fields: frozenset[str] | None, connection) -> tuple[list[str], list[tuple]]:
    """The fields' names and each one's converters with its column expression, worked out once per connection."""
    plans = connection.__dict__.setdefault("_dugnad_row_plans", {})
    key = (model, fields)
    if key not in plans:
        names, steps = [], []
        for field in _fields(model, fields):
            column = Col(None, field)
            names.append(field.attname)
            steps.append((column, (*connection.ops.get_db_converters(column), *field.get_db_converters(connection))))
        plans[key] = (names, steps)
    return plans[key]


def instance(model, values, fields: frozenset[str] | None = None, using: str = "default"):
    """The model instance from the values of ``columns(model, …, fields)``, converted as the ORM converts them."""
    connection = connections[using]
    names, steps = _plan(model, fields, connection)
    converted = []
    for (column, converters), value in zip(steps, values, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(using, names, converted)
