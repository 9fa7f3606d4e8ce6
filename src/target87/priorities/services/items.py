"""The items of a ballot being prepared: added, changed, taken off and reordered by its conveners."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation.models import Recommendation

from ..enums import BallotStatus, Method
from ..models import Ballot, BallotItem
from .ballots import MAX_ITEMS, MAX_LABEL, MAX_STATEMENT, short_label, statement_key
from .votes import whole_number


def locked_for_items(actor, ballot: Ballot) -> Ballot:
    """The ballot, locked for a change to its items by a convener. The lock (``FOR NO KEY UPDATE`` on PostgreSQL)
    makes two such changes take turns, and a closing wait for them, but lets votes go on meanwhile: their
    ``FOR KEY SHARE`` does not wait for it."""
    require(actor, "priorities.manage_ballot", ballot.consultation)
    return Ballot.objects.select_related("consultation").select_for_update(of=("self",), no_key=True).get(pk=ballot.pk)


def _draft(actor, ballot: Ballot) -> Ballot:
    """The ballot, locked, if its items may still be changed; else ServiceError saying why not."""
    ballot = locked_for_items(actor, ballot)
    if ballot.status == BallotStatus.OPEN:
        if ballot.method == Method.CONSENSUS and ballot.takes_proposals:
            raise ServiceError(
                _(
                    "This ballot is open: participants are voting on its items, so they can no longer be changed. "
                    "Only statements proposed by participants are added, once you accept them."
                )
            )
        raise ServiceError(
            _("This ballot is open: participants are voting on its items, so they can no longer be changed.")
        )
    if ballot.status != BallotStatus.DRAFT:
        raise ServiceError(_("This ballot is closed: its items and its result are kept as they were voted."))
    return ballot


def items_changed(ballot: Ballot) -> None:
    """Inside the change's transaction, the ballot locked: every process reads the items again."""
    ballot.items_version += 1
    ballot.save(update_fields=["items_version"])


def duplicate_of(ballot: Ballot, label: str, *, leaving_out: int | None = None) -> BallotItem | None:
    key = statement_key(label)
    for item in BallotItem.objects.filter(ballot=ballot).exclude(pk=leaving_out):
        if statement_key(item.label) == key or (item.recommendation_id is None and statement_key(item.text) == key):
            return item
    return None


def _label_and_text(ballot: Ballot, label: str, text: str, *, statement: bool, leaving_out=None) -> tuple[str, str]:
    """The item's label and text, checked; a statement's label is its text, shortened if need be."""
    label, text = " ".join((label or "").split()), (text or "").strip()
    if statement and not label:
        label = short_label(" ".join(text.split()))
    errors: dict[str, list[str]] = {}
    if not label:
        errors["label" if not statement else "text"] = [
            _("Write the statement.") if statement else _("Give the item a label.")
        ]
    elif len(label) > MAX_LABEL:
        errors["label"] = [_("Keep the label under 200 characters (it has %(count)d).") % {"count": len(label)}]
    if len(text) > MAX_STATEMENT:
        errors["text"] = [_("Keep the text under 1,000 characters (it has %(count)d).") % {"count": len(text)}]
    if not errors:
        twin = duplicate_of(ballot, text if statement else label, leaving_out=leaving_out)
        if twin is not None:
            errors["label" if not statement else "text"] = [
                _("%(code)s already says this: each item appears once on a ballot.") % {"code": twin.code}
            ]
    if errors:
        raise ServiceError(errors)
    return label, text


def next_statement_code(ballot: Ballot) -> str:
    numbers = [
        int(code[1:])
        for code in BallotItem.objects.filter(ballot=ballot, code__startswith="S").values_list("code", flat=True)
        if code[1:].isdecimal()
    ]
    return f"S{max(numbers, default=0) + 1}"


def next_position(ballot: Ballot) -> int:
    return (BallotItem.objects.filter(ballot=ballot).aggregate(last=Max("position"))["last"] or 0) + 1


def _set_positions(ballot: Ballot, order: list[int]) -> None:
    """The items in ``order`` (their ids), numbered from 1: moved out of the way first, so that no two items ever
    share a position (the database's constraint is checked row by row)."""
    items = {item.pk: item for item in BallotItem.objects.filter(ballot=ballot)}
    for item in items.values():
        item.position += MAX_ITEMS * 10
    BallotItem.objects.bulk_update(items.values(), ["position"])
    for position, pk in enumerate(order, start=1):
        items[pk].position = position
    BallotItem.objects.bulk_update(items.values(), ["position"])


@transaction.atomic
def ballot_item_add(
    *, actor, ballot: Ballot, label: str = "", text: str = "", recommendation: Recommendation | None = None
) -> BallotItem:
    """Add a recommendation of the consultation, or (agree/disagree ballots) a statement, at the end of the
    ballot being prepared."""
    ballot = _draft(actor, ballot)
    if BallotItem.objects.filter(ballot=ballot).count() >= MAX_ITEMS:
        raise ServiceError(_("A ballot holds at most %(max)d items.") % {"max": MAX_ITEMS})
    if recommendation is not None and ballot.method == Method.CONSENSUS and (text or label).strip():
        raise ServiceError({"text": [_("Choose a recommendation or write a statement, not both.")]})
    if recommendation is not None:
        found = recommendation
        if found.consultation_id != ballot.consultation_id:
            raise ServiceError({"recommendation": [_("Choose a recommendation of this consultation.")]})
        if BallotItem.objects.filter(ballot=ballot, recommendation=found).exists():
            raise ServiceError({"recommendation": [_("%(code)s is already on this ballot.") % {"code": found.code}]})
        label, text = _label_and_text(ballot, label or found.title, text or found.text, statement=False)
        code = found.code
    else:
        if ballot.method != Method.CONSENSUS:
            raise ServiceError(
                {"text": [_("Statements are voted on with agree / disagree; on this ballot, add recommendations.")]}
            )
        label, text = _label_and_text(ballot, "", text or label, statement=True)
        code, found = next_statement_code(ballot), None
    item = BallotItem.objects.create(
        ballot=ballot, recommendation=found, code=code, label=label, text=text, position=next_position(ballot)
    )
    items_changed(ballot)
    audit.record(
        actor=actor,
        action="ballot.item_add",
        obj=ballot,
        consultation=ballot.consultation,
        changes={"item": item.code, "label": item.label},
    )
    return item


def _item_still_there(ballot: Ballot, item: BallotItem) -> BallotItem:
    """The item as it is now that the ballot is locked (another convener, or a second click, may have taken it
    off meanwhile)."""
    found = BallotItem.objects.filter(pk=item.pk, ballot=ballot).first()
    if found is None:
        raise ServiceError(_("This item is no longer on the ballot."))
    return found


@transaction.atomic
def ballot_item_update(*, actor, item: BallotItem, label: str = "", text: str = "") -> BallotItem:
    """Change an item's label and text on a ballot being prepared (a statement's label follows its text)."""
    ballot = _draft(actor, item.ballot)
    item = _item_still_there(ballot, item)
    statement = item.recommendation_id is None and ballot.method == Method.CONSENSUS
    label, text = _label_and_text(ballot, "" if statement else label, text, statement=statement, leaving_out=item.pk)
    changes = audit.model_changes(item, {"label": label, "text": text})
    if changes:
        item.label, item.text = label, text
        item.save(update_fields=["label", "text"])
        items_changed(ballot)
        audit.record(
            actor=actor,
            action="ballot.item_update",
            obj=ballot,
            consultation=ballot.consultation,
            changes={"item": item.code, **changes},
        )
    return item


@transaction.atomic
def ballot_item_remove(*, actor, item: BallotItem) -> None:
    """Take an item off a ballot being prepared; the others close up behind it."""
    ballot = _draft(actor, item.ballot)
    item = _item_still_there(ballot, item)
    order = list(BallotItem.objects.filter(ballot=ballot).order_by("position").values_list("pk", flat=True))
    if len(order) <= 2:
        raise ServiceError(_("A ballot needs at least two items: add another before taking this one off."))
    order.remove(item.pk)
    item.delete()
    _set_positions(ballot, order)
    items_changed(ballot)
    audit.record(
        actor=actor,
        action="ballot.item_remove",
        obj=ballot,
        consultation=ballot.consultation,
        changes={"item": item.code, "label": item.label},
    )


@transaction.atomic
def ballot_items_reorder(*, actor, ballot: Ballot, order: Iterable) -> list[BallotItem]:
    """Put the items of a ballot being prepared in ``order`` (every item's id, once)."""
    ballot = _draft(actor, ballot)
    current = list(BallotItem.objects.filter(ballot=ballot).order_by("position").values_list("pk", "code"))
    wanted = [whole_number(pk) for pk in order]
    if sorted(wanted, key=lambda pk: pk or 0) != sorted(pk for pk, _code in current):
        raise ServiceError(_("Give the order of every item of this ballot, each once."))
    if wanted != [pk for pk, _code in current]:
        _set_positions(ballot, wanted)
        items_changed(ballot)
        codes = dict(current)
        audit.record(
            actor=actor,
            action="ballot.items_reorder",
            obj=ballot,
            consultation=ballot.consultation,
            changes={"order": [codes[pk] for pk in wanted]},
        )
    return list(BallotItem.objects.filter(ballot=ballot).order_by("position"))


def ballot_item_move(*, actor, item: BallotItem, by: int) -> list[BallotItem]:
    """Move an item up (``by`` −1) or down (+1) on a ballot being prepared."""
    order = list(BallotItem.objects.filter(ballot_id=item.ballot_id).order_by("position").values_list("pk", flat=True))
    if item.pk not in order:
        raise ServiceError(_("This item is not on the ballot."))
    at = order.index(item.pk)
    to = min(max(at + by, 0), len(order) - 1)
    order.insert(to, order.pop(at))
    return ballot_items_reorder(actor=actor, ballot=item.ballot, order=order)
