"""The rapporteur's decisions on suggested merges: accept (a merged recommendation), reject, split, undo.

Accepting drafts a new recommendation through deliberation's :func:`recommendation_create`, whose sources are
every member's source contributions (a contribution is its own source, a recommendation brings its sources);
the recommendations among the members are marked merged into it. A suggestion is accepted only as it was
suggested: if a member has since been edited, deleted or merged elsewhere, the suggestion is stale and the
service says so. Undoing a merge restores the state before it: the merged recommendation is removed (with its
quotes), the members stand again and the suggestion waits for review again; it is refused once the merged
recommendation has a life of its own (edited, commented, or on a ballot).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation import services as deliberation
from target87.deliberation.enums import Level, Timeframe
from target87.deliberation.models import Recommendation

from ..enums import MergeStatus, SuggestionStatus
from ..models import Merge, MergedRecommendation, Suggestion, SuggestionMember
from .suggestions import Item, seen_of, suggestion_store


def _pending(actor, suggestion: Suggestion) -> Suggestion:
    require(actor, "synthesis.synthesise", suggestion.consultation)
    locked = (
        Suggestion.objects.select_for_update(of=("self",)).select_related("consultation", "run").get(pk=suggestion.pk)
    )
    if locked.status != SuggestionStatus.PENDING:
        raise ServiceError(
            _("This suggestion has already been decided (%(status)s); ask for new suggestions to review more.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _label(member: SuggestionMember) -> str:
    if member.kind == "r":
        return member.recommendation.code if member.recommendation_id else _("a recommendation")
    return _("contribution %(id)s") % {"id": member.contribution_id} if member.contribution_id else _("a contribution")


def stale_members(suggestion: Suggestion) -> list[str]:
    """What changed in the members since the suggestion was made, in words (empty: nothing)."""
    problems = []
    members = list(suggestion.members.select_related("contribution", "recommendation"))
    folded = set(
        MergedRecommendation.objects.filter(
            active=True, recommendation_id__in=[m.recommendation_id for m in members if m.recommendation_id]
        ).values_list("recommendation_id", flat=True)
    )
    for member in members:
        obj = member.obj
        if obj is None:
            problems.append(_("a member was deleted"))
        elif seen_of(member.kind, obj) != member.seen:
            problems.append(_("%(member)s was edited") % {"member": _label(member)})
        elif member.kind == "r" and obj.pk in folded:
            problems.append(_("%(member)s was merged into another recommendation") % {"member": _label(member)})
    return problems


def _common(values: Iterable[str], default: str) -> str:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else default


def merge_draft(suggestion: Suggestion) -> dict:
    """What the merged recommendation would say, for the rapporteur to edit: the first recommendation's words
    (or the first contribution's), the actors of them all, the commonest level, timeframe and area."""
    members = list(suggestion.members.select_related("contribution", "recommendation"))
    recs = [m.recommendation for m in members if m.recommendation_id]
    contributions = [m.contribution for m in members if m.contribution_id]
    first = recs[0] if recs else None
    text = first.text if first else (contributions[0].text if contributions else "")
    actors = sorted({a for r in recs for a in r.actors})
    areas = [r.thematic_area for r in recs] + [c.thematic_area for c in contributions]
    return {
        "title": first.title if first else text[:120],
        "text": text,
        "actors": actors,
        "level": _common((r.level for r in recs), Level.NATIONAL),
        "timeframe": _common((r.timeframe for r in recs), Timeframe.MEDIUM),
        "thematic_area": _common(areas, ""),
    }


def _sources(members: list[SuggestionMember]) -> list:
    sources = {}
    for member in members:
        if member.kind == "c":
            sources[member.contribution.pk] = member.contribution
        else:
            for contribution in member.recommendation.contributions.all():
                sources[contribution.pk] = contribution
    return list(sources.values())


@transaction.atomic
def suggestion_accept(
    *,
    actor,
    suggestion: Suggestion,
    title: str,
    text: str,
    actors: Iterable[str],
    level: str,
    timeframe: str,
    thematic_area: str = "",
) -> Merge:
    """Merge the suggestion's members into a new recommendation (numbered after the last one)."""
    suggestion = _pending(actor, suggestion)
    problems = stale_members(suggestion)
    if problems:
        raise ServiceError(
            _(
                "This suggestion is out of date: %(changes)s since it was made. Ask for suggestions again to "
                "review the members as they are now."
            )
            % {"changes": "; ".join(problems)}
        )
    members = list(suggestion.members.select_related("contribution", "recommendation"))
    merged = deliberation.recommendation_create(
        actor=actor,
        consultation=suggestion.consultation,
        key_question=suggestion.key_question,
        title=title,
        text=text,
        actors=actors,
        level=level,
        timeframe=timeframe,
        thematic_area=thematic_area,
        contributions=_sources(members),
    )
    merge = Merge.objects.create(
        consultation=suggestion.consultation,
        suggestion=suggestion,
        recommendation=merged,
        code=merged.code,
        created_by=actor,
    )
    folded = [m.recommendation for m in members if m.kind == "r"]
    MergedRecommendation.objects.bulk_create(MergedRecommendation(merge=merge, recommendation=r) for r in folded)
    _decide(actor, suggestion, SuggestionStatus.ACCEPTED)
    audit.record(
        actor=actor,
        action="synthesis.merge",
        obj=merge,
        consultation=suggestion.consultation,
        changes={
            "suggestion": suggestion.pk,
            "recommendation": merged.code,
            "merged": [r.code for r in folded],
            "contributions": sorted(m.contribution_id for m in members if m.kind == "c"),
            "sources": sorted(merged.contributions.values_list("pk", flat=True)),
        },
    )
    return merge


def _decide(actor, suggestion: Suggestion, status: str) -> None:
    suggestion.status = status
    suggestion.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    suggestion.decided_at = timezone.now() if status != SuggestionStatus.PENDING else None
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def suggestion_reject(*, actor, suggestion: Suggestion) -> Suggestion:
    """These texts do not say the same thing: the engine keeps them apart next time."""
    suggestion = _pending(actor, suggestion)
    _decide(actor, suggestion, SuggestionStatus.REJECTED)
    audit.record(actor=actor, action="synthesis.reject", obj=suggestion, consultation=suggestion.consultation)
    return suggestion


@transaction.atomic
def suggestion_split(*, actor, suggestion: Suggestion, members: Iterable[SuggestionMember]) -> list[Suggestion]:
    """Keep only some members together: the chosen ones become a new suggestion (to accept next), the rest
    another one when two or more remain; the engine keeps the two parts apart next time."""
    suggestion = _pending(actor, suggestion)
    all_members = list(suggestion.members.select_related("contribution", "recommendation"))
    ids = {m.pk for m in all_members}
    chosen = {m.pk for m in members}
    if not chosen <= ids:
        raise ServiceError({"members": [_("Choose members of this suggestion.")]})
    if len(chosen) < 2 or len(chosen) == len(ids):
        raise ServiceError(
            {
                "members": [
                    _(
                        "Choose at least two members to keep together, and leave out at least one (to keep them "
                        "all, accept the suggestion)."
                    )
                ]
            }
        )
    if any(m.obj is None for m in all_members):
        raise ServiceError(_("A member of this suggestion was deleted; ask for suggestions again."))

    def items(rows):
        return [Item(m.kind, m.obj, m.obj.key_question_id) for m in rows]

    kept = [m for m in all_members if m.pk in chosen]
    rest = [m for m in all_members if m.pk not in chosen]
    parts = [suggestion_store(run=suggestion.run, items=items(kept), parent=suggestion)]
    if len(rest) >= 2:
        parts.append(suggestion_store(run=suggestion.run, items=items(rest), parent=suggestion))
    _decide(actor, suggestion, SuggestionStatus.SPLIT)
    audit.record(
        actor=actor,
        action="synthesis.split",
        obj=suggestion,
        consultation=suggestion.consultation,
        changes={"kept": [m.key for m in kept], "left": [m.key for m in rest], "parts": [p.pk for p in parts]},
    )
    return parts


@transaction.atomic
def merge_undo(*, actor, merge: Merge) -> Merge:
    """Undo an accepted merge: the state before it comes back (see the module's documentation)."""
    require(actor, "synthesis.synthesise", merge.consultation)
    merge = (
        Merge.objects.select_for_update(of=("self",)).select_related("suggestion", "recommendation").get(pk=merge.pk)
    )
    if merge.status == MergeStatus.UNDONE:
        raise ServiceError(
            _("This merge was already undone on %(date)s; there is nothing left to undo.")
            % {"date": date_format(timezone.localtime(merge.undone_at), "DATETIME_FORMAT")}
        )
    merged = merge.recommendation
    if merged is not None:
        _check_undoable(merged)
    folded = list(merge.folded.filter(active=True).select_related("recommendation"))
    merge.folded.update(active=False)
    snapshot = {}
    if merged is not None:
        snapshot = {
            "number": merged.number,
            "title": merged.title,
            "text": merged.text,
            "sources": sorted(merged.contributions.values_list("pk", flat=True)),
            "quotes": list(merged.synthesis_quotes.values_list("text", flat=True)),
        }
        audit.record(
            actor=actor,
            action="recommendation.delete",
            obj=merged,
            consultation=merge.consultation,
            changes=snapshot,
        )
        merged.delete()
        merge.recommendation = None  # the database has set it so
    merge.status = MergeStatus.UNDONE
    merge.undone_by = actor
    merge.undone_at = timezone.now()
    merge.save(update_fields=["recommendation", "status", "undone_by", "undone_at"])
    _decide(actor, merge.suggestion, SuggestionStatus.PENDING)
    audit.record(
        actor=actor,
        action="synthesis.merge_undo",
        obj=merge,
        consultation=merge.consultation,
        changes={"recommendation": merge.code, "restored": [f.recommendation.code for f in folded], **snapshot},
    )
    return merge


def _check_undoable(merged: Recommendation) -> None:
    """A merged recommendation with a life of its own is not removed behind its users' backs."""
    outer = MergedRecommendation.objects.filter(recommendation=merged, active=True).select_related("merge").first()
    if outer is not None:
        raise ServiceError(
            _("%(code)s has since been merged into %(outer)s: undo that merge first.")
            % {"code": merged.code, "outer": outer.merge.code}
        )
    if merged.ballot_items.exists():
        raise ServiceError(
            _(
                "%(code)s is on a ballot, so the merge cannot be undone: take it off the ballot first (possible "
                "while the ballot is being prepared)."
            )
            % {"code": merged.code}
        )
    if merged.version > 1 or merged.feedback.exists():
        raise ServiceError(
            _(
                "%(code)s has been edited or commented on since the merge, so undoing it would lose that work. "
                "Edit %(code)s instead."
            )
            % {"code": merged.code}
        )
