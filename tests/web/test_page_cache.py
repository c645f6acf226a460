"""The page cache: shared files in the data directory by default, so every server process renders a page once."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from tests.web.test_portal_pages import scored  # noqa: F401  (fixture)

from dugnad.portal.snapshot import forget_snapshot

SETTINGS_OF = ("import json; from dugnad.config import settings as s; "
               "print(json.dumps({k: [v['BACKEND'], v.get('LOCATION', '')] for k, v in s.CACHES.items()}))")


def _main(response) -> str:
    """The page's main content without per-request tokens (CSP nonce)."""
    html = response.content.decode()
    return re.sub(r' nonce="[^"]*"', "", html[html.index("<main"):html.index("</main>")])


def _settings_caches(tmp_path, value: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DUGNAD_PAGE_CACHE"}
    env["DUGNAD_DATA_DIR"] = str(tmp_path)
    if value is not None:
        env["DUGNAD_PAGE_CACHE"] = value
    return subprocess.run([sys.executable, "-c", SETTINGS_OF], env=env, capture_output=True, text=True)


def test_pages_are_cached_in_shared_files_and_request_counts_in_memory(tmp_path):
    import json

    default = json.loads(_settings_caches(tmp_path, None).stdout)
    assert default["default"] == ["django.core.cache.backends.filebased.FileBasedCache", str(tmp_path / "cache" / "pages")]
    assert default["throttle"][0] == "django.core.cache.backends.locmem.LocMemCache"
    memory = json.loads(_settings_caches(tmp_path, "memory").stdout)
    assert memory["default"][0] == "django.core.cache.backends.locmem.LocMemCache"
    wrong = _settings_caches(tmp_path, "redis")
    assert wrong.returncode != 0 and "DUGNAD_PAGE_CACHE must be «file» or «memory», not 'redis'" in wrong.stderr


@pytest.mark.django_db
def test_a_page_one_process_rendered_is_served_from_the_files_to_another(client, scored, tmp_path):  # noqa: F811
    files = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                         "LOCATION": str(tmp_path / "pages")},
             "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=files):
        first = client.get("/enheter/4601/")
        assert first.status_code == 200 and any((tmp_path / "pages").iterdir())
        forget_snapshot()  # a second process: no snapshot in memory, only the shared files
    with override_settings(CACHES=files), CaptureQueriesContext(connection) as second_queries:
        second = client.get("/enheter/4601/")
    forget_snapshot()
    with override_settings(CACHES={**files, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                        "LOCATION": "elsewhere"}}), \
            CaptureQueriesContext(connection) as fresh_queries:
        fresh = client.get("/enheter/4601/")
    assert _main(second) == _main(first) == _main(fresh) and "Bergen" in _main(first)
    assert len(second_queries) < len(fresh_queries)
