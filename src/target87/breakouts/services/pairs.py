"""Pairs of participants kept apart, or together, in every breakout slot of a consultation from the next run on."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.people.models import Participation

from ..enums import PairKind
from ..models import BreakoutPair


@transaction.atomic
def pair_add(*, actor, consultation, first: Participation, second: Participation, kind: str) -> BreakoutPair:
    """Keep two participants apart, or together, in every breakout slot of the consultation from the next
    run on. A pair already set is changed to the new rule."""
    require(actor, "breakouts.manage", consultation)
    if kind not in PairKind.values:
        raise ServiceError({"kind": _("Choose “keep apart” or “keep together”.")})
    for p in (first, second):
        if p.consultation_id != consultation.pk:
            raise ServiceError(_("%(name)s does not take part in this consultation.") % {"name": p.person.name})
    if first.pk == second.pk:
        raise ServiceError({"second": _("Choose two different people.")})
    first, second = sorted((first, second), key=lambda p: p.pk)
    names = {"a": first.person.name, "b": second.person.name}
    if kind == PairKind.TOGETHER:
        # keep-together pairs chain into larger units: refuse the contradiction here, with names
        apart = set(
            BreakoutPair.objects.filter(consultation=consultation, kind=PairKind.APART).values_list("first", "second")
        )
        unit = _together_unit(consultation, extra=(first.pk, second.pk))
        clash = next(((a, b) for a, b in apart if a in unit and b in unit), None)
        if clash:
            who = dict(Participation.objects.filter(pk__in=clash).values_list("pk", "person__name"))
            raise ServiceError(
                _("%(a)s and %(b)s are to be kept apart; keeping these two together would put them in one group.")
                % {"a": who[clash[0]], "b": who[clash[1]]}
            )
    elif second.pk in _together_unit(consultation, start=first.pk):
        raise ServiceError(
            _("%(a)s and %(b)s are kept together (directly or through others); remove that pair first.") % names
        )
    pair, created = BreakoutPair.objects.update_or_create(
        consultation=consultation,
        first=first,
        second=second,
        defaults={"kind": kind, "created_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    audit.record(
        actor=actor,
        action="breakouts.pair",
        obj=pair,
        consultation=consultation,
        changes={"first": first.pk, "second": second.pk, "kind": kind, "created": created},
    )
    return pair


def _together_unit(consultation, *, extra: tuple[int, int] | None = None, start: int | None = None) -> set[int]:
    """The people chained to ``start`` (or to the ``extra`` pair) by keep-together pairs."""
    links: dict[int, set[int]] = {}
    edges = list(
        BreakoutPair.objects.filter(consultation=consultation, kind=PairKind.TOGETHER).values_list("first", "second")
    )
    if extra:
        edges.append(extra)
    for a, b in edges:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    seen = {start if start is not None else extra[0]}
    todo = list(seen)
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


@transaction.atomic
def pair_remove(*, actor, pair: BreakoutPair) -> None:
    require(actor, "breakouts.manage", pair.consultation)
    audit.record(
        actor=actor,
        action="breakouts.pair_remove",
        obj=pair,
        consultation=pair.consultation,
        changes={"first": pair.first_id, "second": pair.second_id, "kind": pair.kind},
    )
    pair.delete()
