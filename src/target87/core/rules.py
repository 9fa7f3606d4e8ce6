"""Permission predicates shared by every app (django-rules).

Predicates take ``(user, consultation)``; apps combine them into their own permissions.
"""

from __future__ import annotations

import rules


def _roles(user, consultation) -> set[str]:
    if not getattr(user, "is_authenticated", False) or consultation is None:
        return set()
    cache = user.__dict__.setdefault("_t87_roles", {})
    if consultation.pk not in cache:
        from target87.people.selectors import roles_of_user  # people depends on consultations, not on core

        cache[consultation.pk] = roles_of_user(user=user, consultation=consultation)
    return cache[consultation.pk]


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_staff(user) -> bool:
    return bool(getattr(user, "is_staff", False))


@rules.predicate
def is_convener(user, consultation) -> bool:
    return "convener" in _roles(user, consultation)


@rules.predicate
def is_facilitator(user, consultation) -> bool:
    return bool({"facilitator", "rapporteur"} & _roles(user, consultation))


@rules.predicate
def is_published(user, consultation) -> bool:
    return consultation is not None and consultation.is_public


can_manage = is_superuser | is_convener
can_view = is_published | can_manage | is_facilitator
can_create_consultation = is_superuser | is_staff

rules.add_perm("consultations.add_consultation", can_create_consultation)
rules.add_perm("consultations.manage", can_manage)
rules.add_perm("consultations.view", can_view)
rules.add_perm("people.view_private", can_manage)
