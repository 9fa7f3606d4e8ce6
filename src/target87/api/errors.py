"""Service errors said in the API's terms."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from target87.core.errors import ServiceError


def in_payload_terms(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """The same error with its fields named as the payload names them: a service speaks of ``room`` where the
    payload sent ``room_id``, and a client must be told which of its own fields to correct."""
    if not hasattr(error, "error_dict"):
        return error
    return ServiceError({names.get(field, field): messages for field, messages in error.message_dict.items()})
