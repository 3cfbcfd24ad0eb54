"""Test settings: the real settings with a fast hasher, in-memory mail and no HTTPS."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("LIFELONG_SECRET_KEY", "test-secret-key-" + "t" * 40)
os.environ.setdefault("LIFELONG_SECURE", "0")
if "LIFELONG_DATA_DIR" not in os.environ:
    # One throwaway data directory per test process, removed when the process ends; child
    # processes (a served LRS in a test) inherit it through the environment.
    _data_dir = tempfile.mkdtemp(prefix="lifelong-test-")
    os.environ["LIFELONG_DATA_DIR"] = _data_dir
    atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

from lifelong.settings import *  # noqa: F403
from lifelong.settings import DATA_DIR, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Statements POSTed in a test are projected before the answer (tests of the background
# delivery thread switch it on).
XAPI_HOOK_DELIVERY = "inline"
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
