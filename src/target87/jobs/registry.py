"""Job kinds: an identifier mapped to the function that does the work.

A job function takes the :class:`~target87.jobs.models.Job` and a ``progress(done, total, message)``
callable, does its work through the services of its app, and returns ``(result, result_url)``.
Functions raise :class:`~target87.core.errors.ServiceError` for bad input: the job fails with that
message, shown to the user, and nothing half-done is kept (each function writes in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JobFunction = Callable[..., tuple[dict[str, Any], str]]
_KINDS: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    def register(func: JobFunction) -> JobFunction:
        _KINDS[name] = func
        return func

    return register


def get(name: str) -> JobFunction:
    return _KINDS[name]
