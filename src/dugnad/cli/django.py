"""Starting Django from the CLI, only for commands that need the database."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django settings and load the apps (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
