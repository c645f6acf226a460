"""Errors that the services of actions, agreements, networks and practices, the upload and the API give people are
written in bokmål and go through gettext, with a nynorsk and an English translation in the catalogues."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from dugnad.analytics.report import InputError
from dugnad.networks.services import network_create
from tests.factories import UserFactory

SRC = Path(__file__).resolve().parent.parent / "src" / "dugnad"
MODULES = ("actions/services.py", "actions/agreements.py", "networks/services.py", "practices/services.py",
           "imports/upload.py", *sorted(p.relative_to(SRC).as_posix() for p in (SRC / "api").glob("*.py")))
#: Calls whose first argument is a message for people.
MESSAGE_CALLS = ("PermissionDenied", "Http404")


def _calls(module: str):
    for node in ast.walk(ast.parse((SRC / module).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            on_report = isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "report"
            yield name, on_report, node.args[0], node.lineno


def _is_text(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


@pytest.mark.parametrize("module", MODULES)
def test_error_messages_are_not_bare_strings(module):
    bare = [f"{module}:{line}" for name, on_report, first, line in _calls(module)
            if (name in MESSAGE_CALLS or (on_report and name == "add")) and _is_text(first)]
    assert bare == []


def _catalogue(language: str) -> dict:
    with open(SRC / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as f:
        return gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", MODULES)
def test_every_message_of_the_module_has_a_nynorsk_and_an_english_translation(module):
    messages = {first.value for name, _r, first, _l in _calls(module)
                if name == "_" and isinstance(first, ast.Constant) and isinstance(first.value, str)}
    for language in ("nn", "en"):
        catalogue = _catalogue(language)
        assert sorted(m for m in messages if not catalogue.get(m)) == [], language


@pytest.mark.django_db
def test_a_network_service_refuses_and_rejects_in_the_users_language():
    nobody, admin = UserFactory(), UserFactory(is_superuser=True)
    for language, refused, no_name in (("nb", "Du kan ikke opprette nettverk for denne enheten.", "Navn mangler."),
                                       ("nn", "Du kan ikkje opprette nettverk for denne eininga.", "Namn manglar."),
                                       ("en", "You cannot create networks for this unit.", "The name is missing.")):
        with translation.override(language):
            with pytest.raises(PermissionDenied, match=refused):
                network_create(user=nobody, name="Nett", kind="thematic")
            with pytest.raises(InputError) as caught:
                network_create(user=admin, name=" ", kind="thematic")
            assert [p.reason for p in caught.value.report.errors] == [no_name]
