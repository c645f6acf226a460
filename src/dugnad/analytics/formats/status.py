"""Status code vocabularies of the formats (JSON-stat symbols, SDMX OBS_STATUS) mapped onto ObservationStatus."""

from __future__ import annotations

from dataclasses import dataclass

from dugnad.analytics.types import ObservationStatus

S = ObservationStatus


@dataclass(frozen=True)
class StatusCodes:
    """How one format spells each observation status (``codes``) and which codes it reads (``aliases``)."""

    codes: dict[ObservationStatus, str]
    aliases: dict[str, ObservationStatus]

    def read(self, code: str) -> ObservationStatus | None:
        """The status for a format code, or None when the code is unknown."""
        return self.aliases.get(code)

    def write(self, status: ObservationStatus) -> str:
        """The format code for a status."""
        return self.codes[status]


#: JSON-stat status symbols used by SSB/SCB (PxWeb): ``..`` not available, ``.`` not applicable, ``:`` confidential.
JSONSTAT_STATUS = StatusCodes(
    codes={S.OK: "", S.MISSING: "..", S.NOT_APPLICABLE: ".", S.CONFIDENTIAL: ":", S.PROVISIONAL: "p"},
    aliases={"..": S.MISSING, "...": S.MISSING, ".": S.NOT_APPLICABLE, ":": S.CONFIDENTIAL, "p": S.PROVISIONAL},
)

#: SDMX OBS_STATUS codes (SDMX cross-domain CL_OBS_STATUS); confidentiality travels in CONF_STATUS ``C``.
SDMX_OBS_STATUS = StatusCodes(
    codes={S.OK: "A", S.MISSING: "O", S.NOT_APPLICABLE: "M", S.CONFIDENTIAL: "O", S.PROVISIONAL: "P"},
    aliases={"A": S.OK, "O": S.MISSING, "L": S.MISSING, "M": S.NOT_APPLICABLE, "P": S.PROVISIONAL,
             "E": S.OK, "F": S.OK, "I": S.OK, "B": S.OK},
)

#: Spellings accepted in the ``status`` column of tidy CSV/XLSX files (case-insensitive).
TIDY_STATUS_ALIASES: dict[str, ObservationStatus] = {
    **{s.value: s for s in S},
    **{s.label_nb.lower(): s for s in S},
    **{s.label_en.lower(): s for s in S},
    **JSONSTAT_STATUS.aliases,
}


def parse_tidy_status(text: str) -> ObservationStatus | None:
    """The status for a tidy-file status cell (value name, English/Norwegian label or JSON-stat symbol)."""
    return TIDY_STATUS_ALIASES.get(text.strip().lower())
