"""The data of synthesis."""

from django.db import models  # noqa: F401
