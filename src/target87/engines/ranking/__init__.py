"""Ranking recommendations, overall and within each stakeholder group.

The priority that counts in a consultation is one that holds across stakeholder groups (governments,
workers, employers, civil society, survivors…), not one the largest group imposes. :func:`rank` computes a
method's ranking for all voters pooled and, side by side, for each stakeholder group; for agree / disagree
votes it also gives the group-aware consensus ranking next to the plain one, the statements that divide the
groups and the participants' opinion map.

Methods (``value`` of a :class:`Vote`):

``dots``
    each voter spreads at most N dots (10 unless told); value = dots placed on the item; score = dots.
``approval``
    value 1 approved (0 not approved); score = number of approvals.
``score``
    value 0–5; score = mean over the voters who scored the item.
``borda``, ``schulze``
    value = position, 1 best (see :mod:`.ordinal`); score = Borda points, or the number of items the item
    beats along Schulze's strongest paths.
``bradley-terry``
    pairwise choices (:class:`Comparison`); score = chance in percent of being chosen over a random other
    item, with bootstrap confidence intervals (see :mod:`.pairwise`).
``consensus``
    value 1 agree, −1 disagree, 0 pass; score = product over stakeholder groups of the smoothed agreement
    (see :mod:`.consensus`).

Ranks are competition ranks ("1, 2, 2, 4"), tied items listed by item name (see :mod:`.ties`).
Pure Python and numerical libraries only, no Django; the heavy libraries are imported when first needed.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping, Sequence

from target87.engines.i18n import gettext as _

from .checks import DEFAULT_DOTS, check_comparisons, check_item_votes
from .pairwise import DEFAULT_BOOTSTRAP, DEFAULT_LEVEL, DEFAULT_PRIOR_WINS
from .reading import read_votes_csv, votes_from_rows
from .ties import competition_ranking
from .types import (
    Comparison,
    OpinionMap,
    Participant,
    RankedItem,
    Ranking,
    RankingInputError,
    RankingResult,
    StatementStats,
    Vote,
)

METHODS = ("dots", "approval", "score", "borda", "schulze", "bradley-terry", "consensus")

__all__ = [
    "DEFAULT_BOOTSTRAP",
    "DEFAULT_DOTS",
    "DEFAULT_LEVEL",
    "METHODS",
    "Comparison",
    "OpinionMap",
    "Participant",
    "RankedItem",
    "Ranking",
    "RankingInputError",
    "RankingResult",
    "StatementStats",
    "Vote",
    "check_method",
    "rank",
    "rank_counts",
    "read_votes_csv",
    "votes_from_rows",
]


def rank_counts(
    counts: Mapping[tuple[str, str], Sequence[int]], voters: Mapping[str, int], *, by_group: bool = True
) -> RankingResult:
    """The agree / disagree ranking (``consensus``) from counts rather than votes, without the opinion map.

    ``counts[(item, group)]`` is ``(agree, disagree, pass)``, how the members of the group voted on the
    statement; ``voters[group]``, how many of its members voted at all. Everything but the map depends on these
    alone, so a database can count them (the live screen does, every second) and the result is the one
    :func:`rank` gives for the votes themselves.
    """
    from .consensus import stats_from_counts

    if any(len(c) != 3 or min(c) < 0 for c in counts.values()) or any(n < 0 for n in voters.values()):
        raise RankingInputError(_("Counts of votes are three numbers (agree, disagree, pass), none negative."))
    counts = {key: c for key, c in counts.items() if sum(c) > 0}
    items = sorted({item for item, _group in counts})
    group_names = tuple(sorted({group for _item, group in counts}))
    if any(voters.get(g, 0) < 1 for g in group_names):
        raise RankingInputError(_("Each stakeholder group that voted needs its number of voters."))
    stats = stats_from_counts(counts, items, group_names)
    everyone = sum(voters.get(g, 0) for g in group_names)
    plain = competition_ranking("consensus", {s.item: s.agree_share for s in stats}, everyone)
    consensus = competition_ranking("consensus", {s.item: s.consensus for s in stats}, everyone)
    groups = {}
    if by_group:
        for g in group_names:
            groups[g] = competition_ranking("consensus", {s.item: s.group_agreement[g] for s in stats}, voters[g])
    return RankingResult(
        method="consensus",
        overall=plain,
        groups=groups,
        consensus=consensus,
        statements=tuple(stats),
        divisive=tuple(sorted(stats, key=lambda s: (-round(s.divisiveness, 9), s.item))),
        opinion_map=None,
        group_names=group_names,
    )


def check_method(method: str) -> str:
    if method not in METHODS:
        raise RankingInputError(
            _("Unknown method %(method)s. Choose one of: %(methods)s.")
            % {"method": method, "methods": ", ".join(METHODS)}
        )
    return method


def rank(
    votes: Sequence[Vote] | Sequence[Comparison],
    method: str,
    *,
    by_group: bool = True,
    dots: int | None = None,
    seed: int = 0,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    level: float = DEFAULT_LEVEL,
    prior_wins: float = DEFAULT_PRIOR_WINS,
    opinion_map: bool = True,
) -> RankingResult:
    """Rank the items, overall and (``by_group``) within each stakeholder group.

    ``dots`` is the number of dots a voter may spread (``dots`` method); ``seed``, ``bootstrap`` and
    ``level`` drive Bradley–Terry's bootstrap intervals and the opinion map's clustering;
    ``prior_wins`` is Bradley–Terry's prior (virtual wins of each item over each other);
    ``opinion_map=False`` skips the map.
    Raises :class:`RankingInputError` with a translated message when the votes cannot be ranked.
    """
    check_method(method)
    votes = list(votes)
    if method == "bradley-terry":
        if any(not isinstance(vote, Comparison) for vote in votes):
            raise RankingInputError(_("Bradley–Terry ranks pairwise choices (winner, loser), not votes on items."))
        check_comparisons(votes)
        if bootstrap < 0:
            raise RankingInputError(_("The number of bootstrap draws cannot be negative."))
        if prior_wins < 0:
            raise RankingInputError(_("The prior number of wins cannot be negative."))
        if not 0 < level < 1:
            raise RankingInputError(_("The confidence level must lie strictly between 0 and 1."))
        items = sorted({choice.winner for choice in votes} | {choice.loser for choice in votes})
    else:
        if any(not isinstance(vote, Vote) for vote in votes):
            raise RankingInputError(_("This method ranks votes on items, not pairwise choices."))
        if dots is not None and dots < 1:
            raise RankingInputError(_("The number of dots per voter must be at least 1."))
        check_item_votes(votes, method, dots=dots)
        items = sorted({vote.item for vote in votes})
    group_names = tuple(sorted({vote.group for vote in votes}))

    def members(group: str) -> list:
        return [vote for vote in votes if vote.group == group]

    if method == "consensus":
        from .consensus import count
        from .consensus import opinion_map as build_map

        voters: dict[str, set[str]] = {g: set() for g in group_names}
        for vote in votes:
            voters[vote.group].add(vote.voter)
        result = rank_counts(count(votes), {g: len(v) for g, v in voters.items()}, by_group=by_group)
        if opinion_map:
            result = dataclasses.replace(result, opinion_map=build_map(votes, items, seed=seed))
        return result

    def one(subset: list, rng_seed: int) -> Ranking:
        voters = len({vote.voter for vote in subset})
        if method == "bradley-terry":
            from .pairwise import bradley_terry

            fit = bradley_terry(subset, items, bootstrap=bootstrap, level=level, seed=rng_seed, prior_wins=prior_wins)
            return competition_ranking(method, fit.scores, voters, fit.intervals if bootstrap else None)
        if method in ("borda", "schulze"):
            from . import ordinal

            return competition_ranking(method, getattr(ordinal, method)(subset, items), voters)
        from .tallies import tally

        return competition_ranking(method, tally(subset, method, items), voters)

    overall = one(votes, seed)
    groups = {}
    if by_group:
        for g in group_names:
            # each group's bootstrap draws its own stream, the same whatever the other groups are
            groups[g] = one(members(g), seed ^ zlib.crc32(g.encode("utf-8")))
    return RankingResult(method=method, overall=overall, groups=groups, group_names=group_names)
