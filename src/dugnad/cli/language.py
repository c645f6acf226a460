"""The language of the CLI's messages: bokmål by default, nynorsk or English as the environment says.

The language comes from ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG`` (the first one set, as POSIX reads them):
``en…`` gives English, ``nn…`` nynorsk, anything else (``nb_NO``, ``no``, ``C``, nothing) bokmål. Messages are
written in bokmål in the code and looked up in the project's catalogues (``dugnad/locale/<lang>/LC_MESSAGES``)
with the standard library's gettext, so commands that never start Django still speak the user's language. When a
command starts Django (``dugnad.cli.django.setup_django`` from the ``dugnad`` entry point), Django's translation is
activated in the same language, so messages made by the services follow too.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

#: The project's catalogues (the web's, so one translation serves both).
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The environment variables that choose the language, strongest first.
VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
#: The languages the CLI speaks; the first is the default and the language of the source strings.
LANGUAGES = ("nb", "nn", "en")


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """``nb``, ``nn`` or ``en`` from the first of LC_ALL, LC_MESSAGES and LANG that is set."""
    environ = os.environ if environ is None else environ
    for name in VARIABLES:
        value = (environ.get(name) or "").strip()
        if value:
            code = value.split(".")[0].split("@")[0].lower().replace("-", "_")
            if code.startswith("en"):
                return "en"
            if code.startswith("nn"):
                return "nn"
            return "nb"
    return "nb"


@cache
def _catalogue(language: str) -> stdlib_gettext.NullTranslations:
    if language == "nb":
        return stdlib_gettext.NullTranslations()
    return stdlib_gettext.translation("django", localedir=LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` (bokmål) in the CLI's language; bokmål when the catalogue has no translation."""
    return _catalogue(cli_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the CLI's language."""
    return _catalogue(cli_language()).ngettext(singular, plural, n)
