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
    if ACTIVATE_LANGUAGE:
        from django.utils import translation

        from dugnad.cli.language import cli_language

        translation.activate(cli_language())


#: Set by the ``dugnad`` entry point: Django's translation follows the CLI's language (LC_ALL, LC_MESSAGES,
#: LANG). Tests invoking the app directly leave Django's active language alone.
ACTIVATE_LANGUAGE = False
