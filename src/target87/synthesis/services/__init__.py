"""Every change synthesis makes goes through here: suggested merges and the rapporteur's decisions on them,
supporting quotes, and the ballot prepared from the merged recommendations. Deliberation's records are changed
only through deliberation's services (a merged recommendation is drafted with ``recommendation_create``),
ballots only through the priorities services."""

from __future__ import annotations

from .ballots import ballot_prepare  # noqa: F401 (the package's interface)
from .merges import (  # noqa: F401
    merge_draft,
    merge_undo,
    stale_members,
    suggestion_accept,
    suggestion_reject,
    suggestion_split,
)
from .quotes import find_verbatim, quote_add, quote_remove  # noqa: F401
from .suggestions import BACKGROUND_ITEMS, comparable_items, feedback_pairs, suggestions_request  # noqa: F401
