"""A located problem log: fills in the file name and caps how many problems one input may record."""

from __future__ import annotations

from dugnad.analytics.report import InputError, ValidationReport

#: How many problems of one kind (errors or warnings) a reader records in detail before summarising.
DEFAULT_LIMIT = 200


class ProblemLog:
    """Records errors and warnings of one input in a ``ValidationReport``, located in ``file``."""

    def __init__(self, report: ValidationReport, *, file: str | None, limit: int = DEFAULT_LIMIT):
        self.report = report
        self.file = file
        self.limit = limit
        self.error_count = 0
        self.warning_count = 0

    def error(self, reason: str, **where: object) -> None:
        """Record an error at ``where`` (row, column, sheet, path, value)."""
        self.error_count += 1
        if self.error_count <= self.limit:
            self.report.add(reason, **{"file": self.file, **_clean(where)})

    def warning(self, reason: str, **where: object) -> None:
        """Record a warning at ``where``."""
        self.warning_count += 1
        if self.warning_count <= self.limit:
            self.report.warn(reason, **{"file": self.file, **_clean(where)})

    def fail(self, reason: str, **where: object) -> InputError:
        """Record an error and return the ``InputError`` to raise (the input cannot be read further)."""
        self.error(reason, **where)
        return self.finish_error()

    def finish_error(self) -> InputError:
        """The ``InputError`` carrying this report (with the overflow summary added)."""
        self.close()
        return InputError(self.report)

    def close(self) -> None:
        """Add summary lines for problems beyond the limit."""
        if self.error_count > self.limit:
            self.report.add(f"… and {self.error_count - self.limit} more error(s) not listed", file=self.file)
            self.error_count = self.limit
        if self.warning_count > self.limit:
            self.report.warn(f"… and {self.warning_count - self.limit} more warning(s) not listed", file=self.file)
            self.warning_count = self.limit

    @property
    def has_errors(self) -> bool:
        """Whether any error was recorded."""
        return self.error_count > 0


def _clean(where: dict[str, object]) -> dict[str, object]:
    """Location keywords with values shortened to printable strings."""
    out = dict(where)
    if "value" in out and out["value"] is not None:
        text = str(out["value"])
        out["value"] = text if len(text) <= 80 else text[:77] + "…"
    if "column" in out and out["column"] is not None:
        out["column"] = str(out["column"])
    return out
