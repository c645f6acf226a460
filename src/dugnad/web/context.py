"""Template context shared by every page."""

from __future__ import annotations

from django.utils.translation import gettext as _


def demo_flag(request) -> dict:
    """Whether the database holds demo data, so every page can show the demo banner (in the page's language)."""
    from dugnad.imports.models import ImportRun

    return {"has_demo_data": ImportRun.objects.filter(is_demo=True).exists(), "demo_label": _("Demodata – ikke ekte tall")}
