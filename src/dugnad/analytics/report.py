"""Validation reports: every problem of an import with its location and reason.

Readers, importers and connectors collect :class:`Problem` records in a
:class:`ValidationReport`; errors block the whole import, warnings do not.
The report renders as text, JSON and an HTML fragment.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How serious a problem is: errors block an import, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem found in an input, located as precisely as the format allows."""

    reason: str
    severity: Severity = Severity.ERROR
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    path: str | None = None  # JSON path or XML path for tree formats
    value: str | None = None

    @property
    def location(self) -> str:
        """Human-readable location: ``file, sheet S, row R, column C`` (parts present only)."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.path:
            parts.append(f"at {self.path}")
        return ", ".join(parts) or "input"

    def __str__(self) -> str:
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{self.severity.value}: {self.location}: {self.reason}{shown}"


@dataclass
class ValidationReport:
    """All problems of one input, in the order found."""

    source: str = ""
    problems: list[Problem] = field(default_factory=list)

    def add(self, reason: str, **where: object) -> None:
        """Record an error at the given location."""
        self.problems.append(Problem(reason=reason, **where))  # type: ignore[arg-type]

    def warn(self, reason: str, **where: object) -> None:
        """Record a warning at the given location."""
        self.problems.append(Problem(reason=reason, severity=Severity.WARNING, **where))  # type: ignore[arg-type]

    def extend(self, other: ValidationReport) -> None:
        """Append the problems of another report."""
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        """Problems that block the import."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that do not block the import."""
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors

    def as_text(self) -> str:
        """Plain-text report, one problem per line, with a summary line first."""
        head = f"{self.source or 'input'}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        return "\n".join([head, *(str(p) for p in self.problems)])

    def as_dict(self) -> dict:
        """JSON-ready dictionary."""
        return {
            "source": self.source,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [{k: v for k, v in asdict(p).items() if v is not None} for p in self.problems],
        }

    def as_json(self) -> str:
        """The report as a JSON document."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def as_html(self) -> str:
        """An HTML fragment (a captioned table) the web UI can embed."""
        esc = html.escape
        rows = "".join(
            f"<tr class=\"problem-{p.severity.value}\"><td>{esc(p.severity.value)}</td><td>{esc(p.location)}</td>"
            f"<td>{esc(p.reason)}</td><td>{esc(p.value or '')}</td></tr>"
            for p in self.problems
        )
        return (
            f"<table class=\"validation-report\"><caption>{esc(self.source or 'input')}: "
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)</caption>"
            "<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Location</th>"
            f"<th scope=\"col\">Reason</th><th scope=\"col\">Value</th></tr></thead><tbody>{rows}</tbody></table>"
        )


class InputError(Exception):
    """Raised when an input cannot be used; carries the full validation report."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.as_text())
