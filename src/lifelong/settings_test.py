"""Test settings: the real settings with a fast hasher, in-memory mail and no HTTPS."""

import os
import tempfile

os.environ.setdefault("LIFELONG_SECRET_KEY", "test-secret-key-" + "t" * 40)
os.environ.setdefault("LIFELONG_SECURE", "0")
os.environ.setdefault("LIFELONG_DATA_DIR", tempfile.mkdtemp(prefix="lifelong-test-"))

from lifelong.settings import *  # noqa: E402, F403
from lifelong.settings import DATA_DIR, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
