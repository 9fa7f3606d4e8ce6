"""The data of commitments."""

from django.db import models  # noqa: F401
