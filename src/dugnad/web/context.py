"""Template context shared by every page."""

from __future__ import annotations

from dugnad.common.labels import DEMO_LABEL_NB


def demo_flag(request) -> dict:
    """Whether the database holds demo data, so every page can show the demo banner."""
    from dugnad.imports.models import ImportRun

    return {"has_demo_data": ImportRun.objects.filter(is_demo=True).exists(), "demo_label": DEMO_LABEL_NB}
