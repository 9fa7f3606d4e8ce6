"""Reading reports: channels, routes, editions, the public edition, and what changed between two editions."""

from __future__ import annotations

import difflib
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from target87.deliberation.models import Recommendation
from target87.synthesis.selectors import standing

from .enums import EditionKind
from .models import Channel, Edition, KeyMessage, Route


def channel_list(*, consultation) -> QuerySet[Channel]:
    return Channel.objects.filter(consultation=consultation).order_by("position", "name")


def channel_find(*, consultation, slug: str) -> Channel | None:
    return Channel.objects.filter(consultation=consultation, slug=slug).first()


def routing(*, consultation) -> dict:
    """The routing grid: recommendations, channels and the (recommendation id, channel id) pairs routed."""
    return {
        "recommendations": list(
            standing(Recommendation.objects.filter(consultation=consultation))
            .select_related("key_question")
            .order_by("number")
        ),
        "channels": list(channel_list(consultation=consultation)),
        "routed": set(
            Route.objects.filter(channel__consultation=consultation).values_list("recommendation_id", "channel_id")
        ),
    }


def edition_list(*, consultation) -> QuerySet[Edition]:
    return Edition.objects.filter(consultation=consultation).select_related("channel").order_by("-number")


def edition_get(*, consultation, number: int) -> Edition:
    edition = Edition.objects.filter(consultation=consultation, number=number).first()
    if edition is None:
        raise Http404
    return edition


def edition_public(*, consultation, channel: Channel | None = None, kind: str = EditionKind.OUTCOME) -> Edition | None:
    """The latest published edition of the whole report (or of one channel's), of the outcome report or of its
    follow-up edition."""
    rows = Edition.objects.filter(consultation=consultation, published_at__isnull=False, kind=kind)
    rows = rows.filter(channel=channel) if channel is not None else rows.filter(channel_name="")
    return rows.order_by("-published_at", "-number").first()


def edition_file(edition: Edition, fmt: str) -> Path:
    name = edition.files.get(fmt)
    if not name:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / edition.folder / name
    if not path.is_file():
        raise Http404
    return path


def edition_page(edition: Edition) -> Path | None:
    """The edition's body for the public page, or None when its files are gone."""
    path = Path(settings.MEDIA_ROOT) / edition.folder / edition.files.get("page", "page.html")
    return path if path.is_file() else None


def _lines(edition: Edition) -> list[str]:
    lines = []
    for block in edition.contents.get("key_questions", []):
        lines.append(f"Q{block['position']}. {block['short_title']}")
        for priority, rec in enumerate(block["recommendations"], start=1):
            s = rec["support"]
            lines.append(f"  {priority}. {rec['code']} {rec['title']} — {s['consensus_label']}")
            lines.append(f"       {rec['text']}")
            for action in (rec.get("since") or {}).get("actions", []):
                lines.append(f"       → {action['title']} — {action['status_label']} {action['progress']} %")
    followup = edition.contents.get("followup")
    if followup:
        lines.append(_("Priorities no action answers yet"))
        lines.extend(f"  {o['code']} {o['title']}" for o in followup["orphan_priorities"])
    return lines


def edition_compare(*, older: Edition, newer: Edition) -> dict:
    """What changed between two editions' recommendation lists: lines added, removed and kept, in order, and
    the recommendations that came in or went out."""

    def codes(edition):
        return {r["code"]: r["title"] for b in edition.contents.get("key_questions", []) for r in b["recommendations"]}

    before, after = codes(older), codes(newer)
    diff = []
    for line in difflib.ndiff(_lines(older), _lines(newer)):
        if line.startswith("? "):
            continue
        diff.append({"sign": line[0], "text": line[2:]})
    return {
        "older": older,
        "newer": newer,
        "lines": diff,
        "added": [f"{c} {after[c]}" for c in after if c not in before],
        "removed": [f"{c} {before[c]}" for c in before if c not in after],
        "changed": sum(1 for d in diff if d["sign"] != " "),
    }


def key_message_board(*, consultation) -> list[dict]:
    """Every key question of the consultation with its key messages in order (none is an empty list)."""
    messages = KeyMessage.objects.filter(consultation=consultation).order_by("position", "id")
    by_question: dict[int, list[KeyMessage]] = {}
    for message in messages:
        by_question.setdefault(message.key_question_id, []).append(message)
    return [
        {"question": question, "messages": by_question.get(question.pk, [])}
        for question in consultation.key_questions.order_by("position")
    ]


def key_message_get(*, consultation, pk) -> KeyMessage:
    message = KeyMessage.objects.filter(consultation=consultation, pk=pk).select_related("key_question").first()
    if message is None:
        raise Http404
    return message
