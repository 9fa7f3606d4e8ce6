"""Asking the text engine for suggested merges, at once or as a background job with progress.

What is compared: the recommendations still standing (those not merged into another) and the contributions no
recommendation covers yet (with ``include_covered``, every contribution). Decisions already taken are given
back to the engine: the members of accepted suggestions as pairs that must stay together, those of rejected
suggestions, and the two parts of a split one, as pairs kept apart (only pairs whose two ends are among the
texts compared count). A new request replaces the suggestions still waiting for review in its scope (its key
question, or all); decided ones are kept.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from target87.consultations.models import Consultation, KeyQuestion
from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation.models import Contribution, Recommendation
from target87.engines import textclusters
from target87.jobs.models import Job
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start

from ..enums import Method, SuggestionStatus
from ..models import MergedRecommendation, Suggestion, SuggestionMember, SuggestionRun

#: the distance below which texts are suggested together when the rapporteur gives none (average linkage on
#: cosine distances), per method: the engine's own defaults. A fixed threshold rather than the engine's choice
#: by silhouette, which always finds some cluster to suggest, even among texts that share nothing.
DEFAULT_THRESHOLD = textclusters.DEFAULT_THRESHOLDS

#: more texts than this are compared in the background, with progress on the job page
BACKGROUND_ITEMS = 80


@dataclass(frozen=True)
class Item:
    """One text given to the engine."""

    kind: str  # "c" or "r"
    obj: Contribution | Recommendation
    key_question_id: int

    @property
    def key(self) -> str:
        return f"{self.kind}{self.obj.pk}"

    @property
    def text(self) -> str:
        if self.kind == "r":
            return f"{self.obj.title}. {self.obj.text}"
        return self.obj.text

    @property
    def seen(self) -> str:
        return seen_of(self.kind, self.obj)


def seen_of(kind: str, obj) -> str:
    """What a member looked like: a recommendation's version, a digest of a contribution's text."""
    if kind == "r":
        return f"v{obj.version}"
    return hashlib.sha256(obj.text.encode()).hexdigest()[:32]


def comparable_items(*, consultation: Consultation, key_question=None, include_covered=False) -> list[Item]:
    folded = MergedRecommendation.objects.filter(active=True, recommendation__consultation=consultation)
    recs = Recommendation.objects.filter(consultation=consultation).exclude(pk__in=folded.values("recommendation_id"))
    contributions = Contribution.objects.filter(consultation=consultation)
    if not include_covered:
        contributions = contributions.filter(recommendations__isnull=True)
    if key_question is not None:
        recs = recs.filter(key_question=key_question)
        contributions = contributions.filter(key_question=key_question)
    items = [Item("r", r, r.key_question_id) for r in recs.prefetch_related("contributions").order_by("number")]
    items += [Item("c", c, c.key_question_id) for c in contributions.distinct().order_by("pk")]
    return items


def feedback_pairs(*, consultation: Consultation, keys: list[str]) -> tuple[list[tuple], list[tuple]]:
    """The rapporteur's decisions as the engine's ``must_link`` and ``cannot_link`` pairs of indices."""
    index = {key: i for i, key in enumerate(keys)}
    must, cannot = set(), set()
    decided = (
        Suggestion.objects.filter(consultation=consultation)
        .exclude(status=SuggestionStatus.PENDING)
        .prefetch_related("members", "parts__members")
    )
    for suggestion in decided:
        present = [index[m.key] for m in suggestion.members.all() if m.key in index]
        if suggestion.status == SuggestionStatus.ACCEPTED:
            must.update(itertools.pairwise(present))
        elif suggestion.status == SuggestionStatus.REJECTED:
            cannot.update(itertools.combinations(present, 2))
        else:  # split: the chosen part and the rest are kept apart
            parts = sorted(suggestion.parts.all(), key=lambda p: p.pk)
            if not parts:
                continue
            chosen = parts[0]  # the part the rapporteur chose comes first
            inside = {m.key for m in chosen.members.all()}
            part = [index[k] for k in inside if k in index]
            rest = [i for i in present if keys[i] not in inside]
            cannot.update(itertools.product(part, rest))
    cannot = {pair for pair in cannot if tuple(sorted(pair)) not in {tuple(sorted(p)) for p in must}}
    return sorted(must), sorted(cannot)


def _expected_method(method: str) -> str:
    """The method the engine will run when asked for ``method``."""
    return "embeddings" if method != "tfidf" and "embeddings" in textclusters.available_methods() else "tfidf"


def _check_request(consultation, key_question, method, threshold) -> None:
    errors: dict[str, list[str]] = {}
    if key_question is not None and key_question.consultation_id != consultation.pk:
        errors["key_question"] = [_("Choose one of the consultation's key questions.")]
    if method not in Method.values:
        errors["method"] = [_("Choose a method from the list.")]
    if threshold is not None and not 0 < threshold <= 2:
        errors["threshold"] = [_("Give a distance threshold above 0 and at most 2, or leave it empty.")]
    if errors:
        raise ServiceError(errors)


def suggestions_request(
    *,
    actor,
    consultation: Consultation,
    key_question: KeyQuestion | None = None,
    method: str = Method.AUTO,
    threshold: float | None = None,
    include_covered: bool = False,
    background: bool | None = None,
) -> SuggestionRun | Job:
    """Compute suggested merges (for one key question, or all when ``key_question`` is None).

    Up to :data:`BACKGROUND_ITEMS` texts compared by their words, or ``background=False``, the run is made at
    once and returned; more texts, a sentence-embedding model to load, or ``background=True`` start a job
    (returned) whose page shows the progress and leads back to synthesis."""
    require(actor, "synthesis.synthesise", consultation)
    _check_request(consultation, key_question, method, threshold)
    items = comparable_items(consultation=consultation, key_question=key_question, include_covered=include_covered)
    if len(items) < 2:
        raise ServiceError(
            _(
                "There is nothing to compare yet: fewer than two contributions or recommendations are waiting "
                "to be merged here."
            )
        )
    if background is None:  # loading a sentence-embedding model alone takes seconds
        background = len(items) > BACKGROUND_ITEMS or _expected_method(method) == "embeddings"
    if background:
        return job_start(
            kind="synthesis.suggest",
            title=_("Suggested merges for %(consultation)s") % {"consultation": consultation.title},
            params={
                "consultation_id": consultation.pk,
                "key_question_id": key_question.pk if key_question else None,
                "method": method,
                "threshold": threshold,
                "include_covered": include_covered,
            },
            actor=actor,
            consultation=consultation,
        )
    return _compute(
        actor=actor,
        consultation=consultation,
        key_question=key_question,
        method=method,
        threshold=threshold,
        include_covered=include_covered,
    )


@job_kind("synthesis.suggest")
def _suggest_job(job, progress):
    params = job.params
    consultation = Consultation.objects.get(pk=params["consultation_id"])
    key_question = KeyQuestion.objects.filter(pk=params.get("key_question_id")).first()
    run = _compute(
        actor=job.created_by,
        consultation=consultation,
        key_question=key_question,
        method=params["method"],
        threshold=params.get("threshold"),
        include_covered=bool(params.get("include_covered")),
        progress=progress,
    )
    url = reverse("synthesis:home", kwargs={"slug": consultation.slug})
    return {"run": run.pk, "suggestions": run.suggestions.count(), "method": run.method}, url


def _compute(*, actor, consultation, key_question, method, threshold, include_covered, progress=None) -> SuggestionRun:
    require(actor, "synthesis.synthesise", consultation)
    step = progress or (lambda *args, **kwargs: None)
    step(0, 3, _("Reading the texts"))
    items = comparable_items(consultation=consultation, key_question=key_question, include_covered=include_covered)
    if len(items) < 2:
        raise ServiceError(_("There is nothing to compare yet: fewer than two texts are waiting to be merged."))
    keys = [item.key for item in items]
    must, cannot = feedback_pairs(consultation=consultation, keys=keys)
    step(1, 3, _("Comparing %(count)d texts") % {"count": len(items)})
    started = time.perf_counter()
    if threshold is None:
        threshold = DEFAULT_THRESHOLD[_expected_method(method)]
    try:
        result = textclusters.cluster(
            [item.text for item in items],
            method=method,
            threshold=threshold,
            groups=[item.key_question_id for item in items],
            must_link=must,
            cannot_link=cannot,
        )
    except ValueError as error:
        raise ServiceError(str(error)) from None
    seconds = time.perf_counter() - started
    step(2, 3, _("Saving the suggestions"))
    with transaction.atomic():
        stale = Suggestion.objects.filter(consultation=consultation, status=SuggestionStatus.PENDING)
        if key_question is not None:
            stale = stale.filter(key_question=key_question)
        # one whose merge was undone keeps that history: it steps aside instead of being deleted with it
        stale.filter(merges__isnull=False).update(status=SuggestionStatus.SUPERSEDED)
        stale.filter(merges__isnull=True).delete()
        run = SuggestionRun.objects.create(
            consultation=consultation,
            key_question=key_question,
            method_asked=method,
            method=result.method,
            note=result.note or "",
            threshold=threshold,
            items=len(items),
            feedback_pairs=len(must) + len(cannot),
            seconds=round(seconds, 3),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for indices in result.members():
            members = _useful([items[i] for i in indices])
            if len(members) >= 2:
                suggestion_store(run=run, items=members)
        audit.record(
            actor=actor,
            action="synthesis.suggest",
            obj=run,
            consultation=consultation,
            changes={"method": result.method, "items": len(items), "suggestions": run.suggestions.count()},
        )
    step(3, 3, _("Done"))
    return run


def _useful(cluster: list[Item]) -> list[Item]:
    """A cluster without the contributions that are already sources of a recommendation in it (merging brings
    them along anyway): a recommendation found with its own sources is nothing to merge."""
    sources = set()
    for item in cluster:
        if item.kind == "r":
            sources.update(c.pk for c in item.obj.contributions.all())
    return [item for item in cluster if item.kind == "r" or item.obj.pk not in sources]


def suggestion_store(*, run: SuggestionRun, items: list[Item], parent: Suggestion | None = None) -> Suggestion:
    """A suggestion of the run with these members (its key question: the one most of them answer)."""
    questions = [item.key_question_id for item in items]
    key_question_id = max(dict.fromkeys(questions), key=questions.count)
    suggestion = Suggestion.objects.create(
        consultation=run.consultation,
        run=run,
        key_question_id=key_question_id,
        method=run.method,
        parent=parent,
    )
    SuggestionMember.objects.bulk_create(
        SuggestionMember(
            suggestion=suggestion,
            kind=item.kind,
            contribution=item.obj if item.kind == "c" else None,
            recommendation=item.obj if item.kind == "r" else None,
            seen=item.seen,
            text=item.text,
            position=position,
        )
        for position, item in enumerate(items)
    )
    return suggestion
