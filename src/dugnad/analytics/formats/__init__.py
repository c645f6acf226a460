"""Format registry: one reader and/or writer per format, all sharing the tidy observation table.

The tidy table is a ``pyarrow.Table`` with columns ``unit, indicator, period, <dimension columns…>,
value, status`` (see ``dugnad.analytics.types.TIDY_COLUMNS``): ``unit``, ``indicator``, ``period``
and dimension columns are strings, ``value`` is float64 (null when missing) and ``status`` is an
``ObservationStatus`` value.

Public API (implemented in ``registry.py`` and the format modules)::

    read_table(source, *, format=None, **options) -> ReadResult   # ReadResult(table, report)
    write_table(table, target, *, format, **options) -> None
    detect_format(source) -> str
"""
