"""Line lengths of text input files: a located error for a line (or field) longer than the readers accept."""

from __future__ import annotations

import io
from pathlib import Path

from dugnad.analytics.report import ValidationReport

#: The longest line a CSV input may have (and so the longest field): 1 MiB.
MAX_LINE_BYTES = 1 << 20
_CHUNK = 1 << 20


def check_line_lengths(source: Path | bytes, report: ValidationReport, *, file: str,
                       limit: int = MAX_LINE_BYTES) -> bool:
    """Report the first line longer than ``limit`` bytes with its line number; True when every line fits.

    Reads the file in chunks no longer than the limit, so a line held whole inside one chunk always fits and only
    the line running across chunk borders is measured: memory stays flat and the cost is about one read of the file.
    """
    chunk_size = min(_CHUNK, limit)
    line, current = 1, 0
    with (io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")) as handle:
        while chunk := handle.read(chunk_size):
            first = chunk.find(b"\n")
            if first != -1:
                if current + first > limit:
                    break
                line += chunk.count(b"\n")
                current = len(chunk) - chunk.rfind(b"\n") - 1
            else:
                current += len(chunk)
            if current > limit:
                break
        else:
            return True
    report.add(f"line {line} is longer than {limit // 1024} KiB (the longest a line or a field may be)",
               file=file, row=line)
    return False
