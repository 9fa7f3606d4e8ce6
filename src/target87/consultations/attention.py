"""What needs the convener's attention in a consultation, read from each app's selectors: each item a count, a
sentence and the page where it is handled. The back office's overview lists them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from target87.breakouts.selectors import published_placements
from target87.deliberation.selectors import waiting_counts
from target87.live.enums import QuestionStatus
from target87.live.selectors import questions_for_export
from target87.people.selectors import participation_counts
from target87.priorities.selectors import ballot_list, proposals_waiting

from .models import Consultation


@dataclass(frozen=True)
class Attention:
    #: a short name for the kind of item (tests and styles use it)
    kind: str
    count: int
    text: str
    url: str


def _pending_registrations(consultation: Consultation) -> list[Attention]:
    count = participation_counts(consultation=consultation).get("requested", 0)
    if not count:
        return []
    text = ngettext("%(count)d pending registration", "%(count)d pending registrations", count) % {"count": count}
    url = reverse("people:manage_participants", kwargs={"slug": consultation.slug}) + "?status=requested"
    return [Attention("registrations", count, text, url)]


def _unplaced(consultation: Consultation) -> list[Attention]:
    items = []
    for slot in published_placements(consultation=consultation):
        count = len(slot["unplaced"])
        if not count:
            continue
        session = slot["session"]
        start = timezone.localtime(session.start, consultation.tz)
        text = ngettext(
            "%(count)d approved person in no group of the published breakout slot at %(when)s",
            "%(count)d approved people in no group of the published breakout slot at %(when)s",
            count,
        ) % {"count": count, "when": date_format(start, "D j M, H:i")}
        url = reverse("breakouts:manage", kwargs={"slug": consultation.slug, "pk": session.pk})
        items.append(Attention("unplaced", count, text, url))
    return items


def _deliberation(consultation: Consultation) -> list[Attention]:
    counts = waiting_counts(consultation=consultation)
    items = []
    if counts["open_amendments"]:
        count = counts["open_amendments"]
        text = ngettext("%(count)d open amendment", "%(count)d open amendments", count) % {"count": count}
        url = reverse("deliberation:manage_recommendations", kwargs={"slug": consultation.slug})
        items.append(Attention("amendments", count, text, url))
    if counts["contributions_to_review"]:
        count = counts["contributions_to_review"]
        text = ngettext(
            "%(count)d contribution held until reviewed", "%(count)d contributions held until reviewed", count
        ) % {"count": count}
        url = reverse("deliberation:capture", kwargs={"slug": consultation.slug})
        items.append(Attention("contributions", count, text, url))
    return items


def _ballots(consultation: Consultation) -> list[Attention]:
    items = []
    count = ballot_list(consultation=consultation, statuses=["open"]).count()
    if count:
        text = ngettext("%(count)d open ballot", "%(count)d open ballots", count) % {"count": count}
        url = reverse("priorities:manage_ballots", kwargs={"slug": consultation.slug})
        items.append(Attention("ballots", count, text, url))
    for ballot, waiting in proposals_waiting(consultation=consultation):
        text = ngettext(
            "%(count)d proposed statement to review on “%(ballot)s”",
            "%(count)d proposed statements to review on “%(ballot)s”",
            waiting,
        ) % {"count": waiting, "ballot": ballot.title}
        url = reverse("priorities:manage_proposals", kwargs={"slug": consultation.slug, "pk": ballot.pk})
        items.append(Attention("proposals", waiting, text, url))
    return items


def _live_questions(consultation: Consultation) -> list[Attention]:
    waiting: dict[int, list] = {}
    for question in questions_for_export(consultation).filter(status=QuestionStatus.PENDING):
        waiting.setdefault(question.session_id, []).append(question)
    items = []
    for questions in waiting.values():
        count, session = len(questions), questions[0].session
        text = ngettext(
            "%(count)d question waiting for the moderator in “%(session)s”",
            "%(count)d questions waiting for the moderator in “%(session)s”",
            count,
        ) % {"count": count, "session": session.title}
        url = reverse("live:moderate", kwargs={"slug": consultation.slug, "pk": session.pk})
        items.append(Attention("questions", count, text, url))
    return items


def attention_list(*, consultation: Consultation) -> list[Attention]:
    """Everything waiting on the organisers, in the order they usually handle it; empty when nothing waits."""
    return [
        *_pending_registrations(consultation),
        *_unplaced(consultation),
        *_deliberation(consultation),
        *_ballots(consultation),
        *_live_questions(consultation),
    ]
