"""The data of reports."""

from django.db import models  # noqa: F401
