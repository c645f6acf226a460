"""Settings for the test suite: the normal settings with fast hashing and in-memory e-mail."""

import os
import tempfile

os.environ.setdefault("DUGNAD_DATA_DIR", tempfile.mkdtemp(prefix="dugnad-test-"))
os.environ.setdefault("DUGNAD_PAGE_CACHE", "memory")  # each test clears it; tests/config checks the file cache

from dugnad.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
