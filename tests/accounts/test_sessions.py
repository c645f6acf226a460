"""The session store (``dugnad.accounts.sessions``): Django's database sessions read by one fixed statement keep
Django's rules: a live session signs in, an expired or deleted one does not, and a read costs one query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import PASSWORD, UserFactory

from dugnad.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_site_uses_the_store():
    assert settings.SESSION_ENGINE == "dugnad.accounts.sessions"


def test_a_live_session_signs_in_and_an_expired_or_deleted_one_does_not(client):
    UserFactory(username="kari")
    assert client.login(username="kari", password=PASSWORD)
    assert client.get("/mitt-arbeid/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/mitt-arbeid/").status_code == 302  # to the sign-in page
    assert client.login(username="kari", password=PASSWORD)
    Session.objects.filter(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).delete()
    assert client.get("/mitt-arbeid/").status_code == 302


def test_a_session_is_read_in_one_query_with_its_data():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    with CaptureQueriesContext(connection) as captured:
        assert SessionStore(store.session_key).load() == {"answer": 42}
    assert len(captured.captured_queries) == 1
    assert SessionStore("x" * 32).load() == {}
