"""Template context shared by every page."""

from __future__ import annotations

from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.imports.selectors import demo_import_exists


def demo_flag(request) -> dict:
    """Whether the database holds demo data, so every page can show the demo banner."""
    return {"has_demo_data": demo_import_exists(), "demo_label": DEMO_LABEL_NB}
