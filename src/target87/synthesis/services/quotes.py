"""Supporting quotes: words of a source contribution shown with a recommendation.

A quote must occur verbatim in the contribution it is taken from, and that contribution must be one of the
recommendation's sources. The comparison ignores differences of white space only (line breaks, repeated
spaces, spaces at either end): the words, their case and their punctuation must be the source's. What is
stored is the passage exactly as the source has it.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation.models import Contribution, Recommendation

from ..models import SupportingQuote

MAX_QUOTE = 1000


def find_verbatim(quote: str, source: str) -> str | None:
    """The passage of ``source`` that reads ``quote`` word for word (any run of white space matching any other),
    or None."""
    words = quote.split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(word) for word in words), source)
    return found.group(0) if found else None


@transaction.atomic
def quote_add(*, actor, recommendation: Recommendation, contribution: Contribution, text: str) -> SupportingQuote:
    require(actor, "synthesis.synthesise", recommendation.consultation)
    errors: dict[str, list[str]] = {}
    if (
        contribution.consultation_id != recommendation.consultation_id
        or not recommendation.contributions.filter(pk=contribution.pk).exists()
    ):
        errors["contribution"] = [_("Choose one of the recommendation's source contributions.")]
    quote = " ".join((text or "").split())
    if not quote:
        errors["text"] = [_("Write the words to quote, copied from the contribution.")]
    elif len(quote) > MAX_QUOTE:
        errors["text"] = [_("Keep a quote under %(limit)d characters.") % {"limit": MAX_QUOTE}]
    if errors:
        raise ServiceError(errors)
    passage = find_verbatim(quote, contribution.text)
    if passage is None:
        raise ServiceError(
            {
                "text": [
                    _(
                        "These words do not occur in the contribution as written: a quote must be copied word for "
                        "word (only spaces and line breaks may differ). Copy the passage from the contribution's "
                        "text."
                    )
                ]
            }
        )
    made = SupportingQuote.objects.create(
        recommendation=recommendation, contribution=contribution, text=passage, created_by=actor
    )
    audit.record(
        actor=actor,
        action="synthesis.quote_add",
        obj=made,
        consultation=recommendation.consultation,
        changes={"recommendation": recommendation.code, "contribution": contribution.pk, "text": passage},
    )
    return made


@transaction.atomic
def quote_remove(*, actor, quote: SupportingQuote) -> None:
    recommendation = quote.recommendation
    require(actor, "synthesis.synthesise", recommendation.consultation)
    audit.record(
        actor=actor,
        action="synthesis.quote_remove",
        obj=quote,
        consultation=recommendation.consultation,
        changes={"recommendation": recommendation.code, "text": quote.text},
    )
    quote.delete()
