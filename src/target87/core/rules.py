"""Permission predicates that need no app (django-rules): what kind of account a user has, and whether a
consultation is public.

Predicates take ``(user)`` or ``(user, consultation)``. A user's roles in a consultation are answered by
``people`` (:mod:`target87.people.rules`: ``is_convener``, ``is_facilitator``, ``can_manage``, ``can_view``);
apps combine these into their own permissions.
"""

from __future__ import annotations

import rules


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_staff(user) -> bool:
    return bool(getattr(user, "is_staff", False))


@rules.predicate
def is_published(user, consultation) -> bool:
    return consultation is not None and consultation.is_public
