"""Who may keep which actions up to date (django-rules).

On a consultation: conveners (and superusers) manage the follow-through (focal points, imports, good practices);
anyone with a focal-point role in it may propose actions (``commitments.add_action``). On an action (or on an
:class:`ActionScope` for one not stored yet): conveners edit any; a country focal point edits the actions of
their country; an organisation's representative edits the actions their organisation leads. Nobody else does.
Exchange rates are data of the whole site: staff keep them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules

from target87.core.rules import is_staff, is_superuser
from target87.people.rules import is_convener


@dataclass(frozen=True)
class ActionScope:
    """What decides who may edit an action: its consultation, its country and its lead organisations."""

    consultation: object
    country: str = ""
    lead_ids: frozenset[int] = field(default_factory=frozenset)


def scope_of(obj) -> ActionScope:
    if isinstance(obj, ActionScope):
        return obj
    return ActionScope(obj.consultation, obj.country, frozenset(obj.lead_ids()))


def _focal_points(user, consultation) -> list:
    """The user's focal-point roles in the consultation, read once per user object."""
    if not getattr(user, "is_authenticated", False) or consultation is None:
        return []
    cache = user.__dict__.setdefault("_t87_focal", {})
    if consultation.pk not in cache:
        from .models import FocalPoint

        cache[consultation.pk] = list(
            FocalPoint.objects.filter(user=user, consultation=consultation).values_list(
                "kind", "country", "organisation_id"
            )
        )
    return cache[consultation.pk]


@rules.predicate
def is_focal_point(user, consultation) -> bool:
    return bool(_focal_points(user, consultation))


@rules.predicate
def manages_action(user, action) -> bool:
    scope = scope_of(action)
    return is_superuser(user) or is_convener(user, scope.consultation)


@rules.predicate
def is_country_focal_point(user, action) -> bool:
    scope = scope_of(action)
    return bool(scope.country) and any(
        kind == "country" and country == scope.country for kind, country, _ in _focal_points(user, scope.consultation)
    )


@rules.predicate
def represents_lead(user, action) -> bool:
    scope = scope_of(action)
    return any(
        kind == "organisation" and org in scope.lead_ids for kind, _, org in _focal_points(user, scope.consultation)
    )


can_manage = is_superuser | is_convener
can_edit_action = manages_action | is_country_focal_point | represents_lead

rules.add_perm("commitments.manage", can_manage)
rules.add_perm("commitments.add_action", can_manage | is_focal_point)
rules.add_perm("commitments.change_action", can_edit_action)
rules.add_perm("commitments.manage_rates", is_superuser | is_staff)
