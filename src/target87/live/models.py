"""The data of live."""

from django.db import models  # noqa: F401
