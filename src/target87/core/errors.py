"""The one error that services raise for bad input: a user message, optionally per field."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """Bad input detected by a service. ``message_dict`` names the fields when there are any."""


class Conflict(ServiceError):
    """The change cannot be made in the object's present state (HTTP 409): the message says what to do first."""
