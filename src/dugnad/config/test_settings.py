"""Settings for the test suite: the normal settings with fast hashing and in-memory e-mail."""

import os
import tempfile

os.environ.setdefault("DUGNAD_DATA_DIR", tempfile.mkdtemp(prefix="dugnad-test-"))
# Each test worker its own data directory (workers inherit the one above; a command a test starts keeps its test's).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER and os.path.basename(os.environ["DUGNAD_DATA_DIR"]) != _WORKER:
    os.environ["DUGNAD_DATA_DIR"] = os.path.join(os.environ["DUGNAD_DATA_DIR"], _WORKER)
os.environ.setdefault("DUGNAD_PAGE_CACHE", "memory")  # each test clears it; tests/config checks the file cache

from dugnad.config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
