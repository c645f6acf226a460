"""Template context shared by every page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dugnad.observations.selectors import demo_import_exists


def demo_flag(request) -> dict:
    """Whether the database holds demo data, so every page can show the demo banner (in the page's language)."""
    return {"has_demo_data": demo_import_exists(), "demo_label": _("Demodata – ikke ekte tall")}
