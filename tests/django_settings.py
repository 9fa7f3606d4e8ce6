"""Settings for the test suite: the project's own, with jobs run at once and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("TARGET87_VAR", tempfile.mkdtemp(prefix="target87-test-"))

from target87.settings import *

HUEY = {**HUEY, "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = 3
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
