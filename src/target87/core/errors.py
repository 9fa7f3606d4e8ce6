"""The one error that services raise for bad input: a user message, optionally per field."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """Bad input detected by a service. ``message_dict`` names the fields when there are any."""
