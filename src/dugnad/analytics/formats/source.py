"""Input sources: a file path, a directory or raw bytes, with a display name for problem locations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dugnad.analytics.report import InputError, ValidationReport


@dataclass(frozen=True)
class InputSource:
    """One input to read: a path (file or directory) or in-memory bytes, named for reports."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def of(cls, source: InputSource | str | Path | bytes, *, name: str | None = None) -> InputSource:
        """An ``InputSource`` for a path, bytes or an existing source."""
        if isinstance(source, InputSource):
            return source
        if isinstance(source, bytes | bytearray | memoryview):
            return cls(name=name or "<bytes>", data=bytes(source))
        path = Path(source)
        return cls(name=name or str(path), path=path)

    @property
    def suffix(self) -> str:
        """Lower-case file extension without the dot (``""`` for bytes)."""
        if self.path is None:
            return ""
        suffixes = self.path.name.lower().split(".")[1:]
        return ".".join(suffixes[-1:]) if suffixes else ""

    @property
    def is_directory(self) -> bool:
        """Whether the source is an existing directory."""
        return self.path is not None and self.path.is_dir()

    def read_bytes(self) -> bytes:
        """The whole content; raises ``InputError`` when the file cannot be read."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        try:
            return self.path.read_bytes()
        except OSError as exc:
            report = ValidationReport(source=self.name)
            report.add(f"cannot read the file: {exc.strerror or exc}", file=self.name)
            raise InputError(report) from exc

    def head(self, size: int = 4096) -> bytes:
        """The first ``size`` bytes (empty when unreadable or a directory)."""
        if self.data is not None:
            return self.data[:size]
        assert self.path is not None
        try:
            with self.path.open("rb") as handle:
                return handle.read(size)
        except OSError:
            return b""
