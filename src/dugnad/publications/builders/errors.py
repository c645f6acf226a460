"""Located input errors of the builders: one problem, named by option or column (nothing written)."""

from __future__ import annotations

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.publications.vocab import LANGUAGES


def input_error(source: str, reason: str, *, column: str, value: object = None) -> InputError:
    """An InputError with one located problem (nothing has been written when it is raised)."""
    report = ValidationReport(source=source)
    report.add(reason, column=column, value=None if value is None else str(value))
    return InputError(report)


def check_language(lang: str) -> str:
    """The language code when it is one of nb, nn, en; otherwise an InputError naming the option."""
    if lang not in LANGUAGES:
        raise input_error("publish", f"ukjent språk; velg ett av {', '.join(LANGUAGES)}", column="--lang", value=lang)
    return lang
