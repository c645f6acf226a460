"""A module imported on first use: sdmx1 and pandas (≈0.6 CPU-s together) are needed only to read or write SDMX, not
by every ``dugnad`` command and worker that loads the format registry (``dugnad site build``'s start-up)."""

from __future__ import annotations

import importlib
from types import ModuleType


class DeferredModule:
    """Stands for the module ``name`` and imports it at the first attribute asked for."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"
