"""The plain data the ranking engine takes in and gives back.

Everything here is a frozen dataclass of built-in values, so the web layer can put a result in a template
or a JSON answer as it is, and the command can write it as CSV.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class RankingInputError(ValueError):
    """The votes cannot be ranked as given; the message is translated and meant for the person who sent them."""


@dataclass(frozen=True)
class Vote:
    """One voter's vote on one item.

    ``value`` means, by method: the number of dots placed on the item (``dots``); 1 for approved, 0 for
    not approved (``approval``); a score from 0 to 5 (``score``); the position the voter gave the item,
    1 being best (``borda``, ``schulze``); 1 agree, −1 disagree, 0 pass (``consensus``).
    ``line`` is where the vote came from (a line of a CSV file), only used in messages.
    """

    voter: str
    group: str
    item: str
    value: float
    line: int | None = None


@dataclass(frozen=True)
class Comparison:
    """One pairwise choice, as in All Our Ideas: the voter preferred ``winner`` to ``loser``."""

    voter: str
    group: str
    winner: str
    loser: str
    line: int | None = None


@dataclass(frozen=True)
class RankedItem:
    """An item's place in one ranking.

    ``rank`` is a competition rank: tied items share the best rank of their block and the next item's rank
    skips the block ("1, 2, 2, 4"). ``ci_lower``/``ci_upper`` bound ``score`` (Bradley–Terry only).
    """

    item: str
    rank: int
    score: float
    ci_lower: float | None = None
    ci_upper: float | None = None


@dataclass(frozen=True)
class Ranking:
    """Items in order, best first; tied items are listed by item name."""

    method: str
    items: tuple[RankedItem, ...]
    voters: int

    def order(self) -> list[str]:
        return [entry.item for entry in self.items]

    def get(self, item: str) -> RankedItem:
        for entry in self.items:
            if entry.item == item:
                return entry
        raise KeyError(item)


@dataclass(frozen=True)
class StatementStats:
    """How the participants and each stakeholder group voted on one statement (agree / disagree / pass).

    ``group_agreement[g]`` is group g's smoothed agreement ``(agree + 1) / (seen + 2)``, where ``seen`` counts
    every member of g who voted on the statement, passes included. ``consensus`` is the product of those
    over all stakeholder groups. ``divisiveness`` is the gap between the most and the least agreeing
    groups' smoothed agreement (0 when fewer than two groups voted on the statement).
    """

    item: str
    seen: int
    agree: int
    disagree: int
    passed: int
    agree_share: float
    consensus: float
    group_agreement: Mapping[str, float]
    group_seen: Mapping[str, int]
    divisiveness: float
    most_agreeing_group: str | None
    least_agreeing_group: str | None


@dataclass(frozen=True)
class Participant:
    """A participant's place on the opinion map and the opinion cluster they fall in."""

    voter: str
    group: str
    x: float
    y: float
    cluster: int


@dataclass(frozen=True)
class OpinionMap:
    """Participants placed by the first two principal components of the agree/disagree vote matrix.

    ``clusters`` is the number of opinion clusters (k-means, k chosen by the best silhouette score; 1 when
    there are too few distinct participants to cluster), ``silhouette`` that score (``None`` for one
    cluster), ``explained_variance`` the share of the variance each axis explains, ``loadings`` where
    each statement pulls on the two axes.
    """

    participants: tuple[Participant, ...]
    clusters: int
    silhouette: float | None
    explained_variance: tuple[float, float]
    loadings: Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class RankingResult:
    """A ranking overall and in each stakeholder group, side by side.

    ``overall`` is the plain ranking of all voters pooled. ``groups`` holds the same method applied within
    each stakeholder group (empty when not asked for). ``consensus`` is the ranking that holds across
    groups, where the method defines one (``consensus``: the product of the groups' smoothed agreement);
    ``primary`` is the ranking the method stands for (the consensus one when there is one).
    ``statements``, ``divisive`` and ``opinion_map`` describe agree/disagree votes (``consensus`` only);
    ``divisive`` lists statements from the most divisive down.
    """

    method: str
    overall: Ranking
    groups: Mapping[str, Ranking] = field(default_factory=dict)
    consensus: Ranking | None = None
    statements: tuple[StatementStats, ...] = ()
    divisive: tuple[StatementStats, ...] = ()
    opinion_map: OpinionMap | None = None
    group_names: tuple[str, ...] = ()

    @property
    def primary(self) -> Ranking:
        return self.consensus if self.consensus is not None else self.overall

    def statement(self, item: str) -> StatementStats:
        for stats in self.statements:
            if stats.item == item:
                return stats
        raise KeyError(item)
