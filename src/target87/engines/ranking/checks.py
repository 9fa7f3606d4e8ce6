"""Checking votes before counting them.

Every problem raises :class:`RankingInputError` with a translated message naming the line (when known), the
voter and the item, so whoever sent the votes can fix them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from target87.engines.i18n import gettext as _

from .types import Comparison, RankingInputError, Vote

SCORE_MIN, SCORE_MAX = 0, 5
DEFAULT_DOTS = 10


def where(line: int | None) -> str:
    return _("line %(line)d: ") % {"line": line} if line is not None else ""


def _is_whole(value: float) -> bool:
    return math.isfinite(value) and float(value).is_integer()


def check_common(votes: Sequence[Vote | Comparison]) -> None:
    if not votes:
        raise RankingInputError(_("There are no votes to rank."))
    groups: dict[str, tuple[str, int | None]] = {}
    for vote in votes:
        if not str(vote.voter).strip():
            raise RankingInputError(where(vote.line) + _("the voter is empty."))
        if not str(vote.group).strip():
            raise RankingInputError(
                where(vote.line) + _("voter %(voter)s has no stakeholder group.") % {"voter": vote.voter}
            )
        known = groups.setdefault(vote.voter, (vote.group, vote.line))
        if known[0] != vote.group:
            raise RankingInputError(
                where(vote.line)
                + _("voter %(voter)s is in group %(group)s here but in group %(other)s earlier.")
                % {"voter": vote.voter, "group": vote.group, "other": known[0]}
            )


def check_item_votes(votes: Sequence[Vote], method: str, dots: int | None = None) -> None:
    """Check votes on items (every method but Bradley–Terry)."""
    check_common(votes)
    seen: dict[tuple[str, str], int | None] = {}
    for vote in votes:
        if not str(vote.item).strip():
            raise RankingInputError(where(vote.line) + _("the item is empty."))
        key = (vote.voter, vote.item)
        if key in seen:
            raise RankingInputError(
                where(vote.line)
                + _("voter %(voter)s voted twice on item %(item)s.") % {"voter": vote.voter, "item": vote.item}
            )
        seen[key] = vote.line
        if not math.isfinite(vote.value):
            raise RankingInputError(where(vote.line) + _("the value is not a number."))

    if method == "score":
        for vote in votes:
            if not SCORE_MIN <= vote.value <= SCORE_MAX:
                raise RankingInputError(
                    where(vote.line)
                    + _("the score %(value)s of voter %(voter)s on item %(item)s is outside 0–5.")
                    % {"value": _number(vote.value), "voter": vote.voter, "item": vote.item}
                )
    elif method == "approval":
        for vote in votes:
            if vote.value not in (0, 1):
                raise RankingInputError(
                    where(vote.line)
                    + _("an approval is 1 (or 0 for not approved), not %(value)s.") % {"value": _number(vote.value)}
                )
    elif method == "dots":
        limit = DEFAULT_DOTS if dots is None else dots
        placed: dict[str, int] = defaultdict(int)
        last_line: dict[str, int | None] = {}
        for vote in votes:
            if not _is_whole(vote.value) or vote.value < 0:
                raise RankingInputError(
                    where(vote.line)
                    + _("a number of dots is a whole number, 0 or more, not %(value)s.")
                    % {"value": _number(vote.value)}
                )
            placed[vote.voter] += int(vote.value)
            last_line[vote.voter] = vote.line
        for voter, total in placed.items():
            if total > limit:
                raise RankingInputError(
                    where(last_line[voter])
                    + _("voter %(voter)s placed %(placed)d dots; at most %(limit)d are allowed.")
                    % {"voter": voter, "placed": total, "limit": limit}
                )
    elif method in ("borda", "schulze"):
        items = {vote.item for vote in votes}
        positions: dict[tuple[str, int], str] = {}
        for vote in votes:
            if not _is_whole(vote.value) or not 1 <= vote.value <= len(items):
                raise RankingInputError(
                    where(vote.line)
                    + _(
                        "the position %(value)s of voter %(voter)s on item %(item)s is not a whole number "
                        "from 1 to %(count)d (the number of items)."
                    )
                    % {
                        "value": _number(vote.value),
                        "voter": vote.voter,
                        "item": vote.item,
                        "count": len(items),
                    }
                )
            key = (vote.voter, int(vote.value))
            if key in positions:
                raise RankingInputError(
                    where(vote.line)
                    + _("voter %(voter)s gave position %(position)d to both %(first)s and %(second)s.")
                    % {
                        "voter": vote.voter,
                        "position": int(vote.value),
                        "first": positions[key],
                        "second": vote.item,
                    }
                )
            positions[key] = vote.item
        ranked: dict[str, list[int]] = defaultdict(list)
        for voter, position in positions:
            ranked[voter].append(position)
        for voter, given in sorted(ranked.items()):
            if max(given) != len(given):
                raise RankingInputError(
                    _(
                        "voter %(voter)s ranked %(count)d items, so their positions must run from 1 to %(count)d "
                        "without gaps."
                    )
                    % {"voter": voter, "count": len(given)}
                )
    elif method == "consensus":
        for vote in votes:
            if vote.value not in (1, -1, 0):
                raise RankingInputError(
                    where(vote.line)
                    + _("a vote on a statement is 1 (agree), -1 (disagree) or 0 (pass), not %(value)s.")
                    % {"value": _number(vote.value)}
                )


def check_comparisons(comparisons: Sequence[Comparison]) -> None:
    """Check pairwise choices. A voter may meet the same pair more than once: each choice counts."""
    check_common(comparisons)
    for choice in comparisons:
        if not str(choice.winner).strip() or not str(choice.loser).strip():
            raise RankingInputError(where(choice.line) + _("the winner or the loser is empty."))
        if choice.winner == choice.loser:
            raise RankingInputError(
                where(choice.line)
                + _("voter %(voter)s compared item %(item)s with itself.")
                % {"voter": choice.voter, "item": choice.winner}
            )


def _number(value: float) -> str:
    return str(int(value)) if _is_whole(value) else str(value)
