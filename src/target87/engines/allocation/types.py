"""The allocation engine's inputs and outputs: plain dataclasses, no Django."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from target87.engines.i18n import gettext as _

#: The stakeholder groups of a consultation, by their stable names.
STAKEHOLDER_GROUPS: tuple[str, ...] = (
    "government",
    "workers",
    "employers",
    "civil_society",
    "survivor_led",
    "un_international",
    "development_partner",
    "academia",
    "private_sector",
)

#: The ILO's tripartite constituents: every group should have one of each.
TRIPARTITE: tuple[str, ...] = ("government", "workers", "employers")


def stakeholder_label(name: str) -> str:
    """The human name of a stakeholder group (translated)."""
    labels = {
        "government": _("Government"),
        "workers": _("Workers' organisations"),
        "employers": _("Employers' organisations"),
        "civil_society": _("Civil society"),
        "survivor_led": _("Survivor-led organisations"),
        "un_international": _("UN and international organisations"),
        "development_partner": _("Development partners and donors"),
        "academia": _("Academia and research"),
        "private_sector": _("Private sector"),
    }
    return labels.get(name, name)


@dataclass(frozen=True)
class Participant:
    id: str
    stakeholder_group: str
    country: str = ""
    gender: str = ""
    #: working languages; empty means "not stated" and allows every group
    languages: frozenset[str] = frozenset()
    #: up to three topics (or group ids), the first choice first
    preferences: tuple[str, ...] = ()
    #: can facilitate a group; facilitators are spread over the groups like any other category
    facilitator: bool = False


@dataclass(frozen=True)
class Group:
    id: str
    capacity: int
    #: topic or key question; empty for groups without a topic
    topic: str = ""
    #: working language; empty means any
    language: str = ""
    #: participant who facilitates this group (fixed in every round the group meets)
    facilitator_id: str = ""
    #: the round (1-based) in which the group meets; None: it meets in every round
    round: int | None = None


@dataclass(frozen=True)
class Weights:
    """The terms of the objective (a cost, minimised) and their weights.

    The objective is the sum over rounds of

    * ``size`` × people by which a group is above or below its equal-size range (the most equal sizes the
      rooms allow: the water-filling of the participants over the room capacities);
    * ``tripartite`` × groups that have no government, no workers' or no employers' representative (per
      missing constituent);
    * ``moves`` × people who are not in the group a previous allocation gave them;
    * ``topic_repeat`` × people given a topic they already had in an earlier round or before the problem
      (``Problem.topics_had``), unless it is their only wish;
    * ``stakeholder`` / ``country`` / ``gender`` / ``facilitator`` × people by which a group's count of a
      category is below the floor or above the ceiling of its proportional share (the share is the
      category's total times the group's share of the seats);
    * ``repeat_pair`` × pairs of people who already met in an earlier round or in a sitting before the
      problem (``Problem.met_before``; a group of ``m`` people who sat together before counts m(m-1)/2
      pairs);
    * the preference loss per person with wishes: ``first``, ``second``, ``third`` for a group on their
      first, second or third choice, ``unmet`` otherwise.

    The default weights make sizes and tripartite presence near-hard rules, keep the fewest moves
    ahead of balance, and keep balance ahead of preferences (one person outside a range costs more than
    the best preference gain), so that preferences are maximised within the balance rules.
    """

    size: int = 1000
    tripartite: int = 200
    moves: int = 100
    topic_repeat: int = 50
    stakeholder: int = 10
    country: int = 6
    gender: int = 6
    facilitator: int = 6
    repeat_pair: int = 4
    first: int = 0
    second: int = 1
    third: int = 2
    unmet: int = 4

    def preference_loss(self, rank: int | None) -> int:
        """Loss for a person placed on their choice number ``rank`` (0-based), None for no choice."""
        if rank is None:
            return self.unmet
        return (self.first, self.second, self.third)[min(rank, 2)]


@dataclass
class Problem:
    participants: Sequence[Participant]
    #: the groups; a group with ``round=None`` meets in every round
    groups: Sequence[Group]
    rounds: int = 1
    #: pairs of participant ids who must never share a group (e.g. same organisation)
    keep_apart: Sequence[tuple[str, str]] = ()
    #: pairs of participant ids who must always share a group (a delegate and their interpreter)
    keep_together: Sequence[tuple[str, str]] = ()
    #: a previous allocation, (participant id, round) → group id; moving away from it is penalised
    previous: Mapping[tuple[str, int], str] = field(default_factory=dict)
    #: ids of groups whose previous membership is kept exactly (leavers excepted)
    locked: frozenset[str] = frozenset()
    weights: Weights = field(default_factory=Weights)
    #: sittings before this problem (e.g. the earlier breakout slots of an event), each a mapping of
    #: participant id → the group they sat in there. People who sat together in one of them and are placed
    #: together again count as repeated pairs (``Weights.repeat_pair``), exactly like people who met in an
    #: earlier round; ids of people who are not participants are ignored.
    met_before: Sequence[Mapping[str, str]] = field(default=(), kw_only=True)
    #: topics each participant already had before this problem (participant id → topics); placing them on
    #: one of these again counts as a topic repeat (``Weights.topic_repeat``) unless it is their only wish
    topics_had: Mapping[str, Sequence[str]] = field(default_factory=dict, kw_only=True)


@dataclass
class Options:
    #: wall-clock budget for the whole allocation, in seconds
    time_limit: float = 10.0
    seed: int = 0
    #: solver threads
    workers: int = 2
    #: same seed, same result: the solver interleaves its strategies deterministically and stops on its
    #: deterministic clock (roughly seconds), the local search stops on its own counters
    reproducible: bool = True
    #: above this many assignment variables per round the CP-SAT model is not built; the result is the
    #: local search's, with the engine's own lower bound
    exact_max_variables: int = 120_000
    #: skip CP-SAT (the local search and the lower bound only)
    heuristic_only: bool = False


@dataclass(frozen=True)
class Progress:
    #: "check", "heuristic", "solver" or "done"
    phase: str
    round: int
    rounds: int
    objective: float | None
    bound: float | None
    elapsed: float


#: called with a :class:`Progress`; returning True asks the engine to stop early (keeping the best so far)
ProgressCallback = Callable[[Progress], bool | None]


class AllocationError(ValueError):
    """A request that cannot be met, with a message naming the rule and the people or groups involved."""

    def __init__(self, message: str, *, rule: str, involved: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.involved = list(involved)


@dataclass(frozen=True)
class Assignment:
    participant_id: str
    round: int
    group_id: str


@dataclass
class GroupReport:
    round: int
    group_id: str
    topic: str
    language: str
    capacity: int
    size: int
    size_range: tuple[int, int]
    stakeholders: dict[str, int]
    countries: dict[str, int]
    genders: dict[str, int]
    tripartite_missing: list[str]
    #: people outside the floor–ceiling ranges of stakeholder group, country and gender in this group
    balance_shortfall: int
    facilitators: list[str]
    locked: bool = False


@dataclass
class RoundReport:
    round: int
    #: "optimal" (proved, given the earlier rounds) or "feasible"
    status: str
    #: "solver", "local search" or "solver from local search"
    method: str
    objective: int
    bound: int
    seconds: float


@dataclass
class Allocation:
    assignments: list[Assignment]
    #: "optimal" when every round is proved optimal given the earlier rounds, otherwise "feasible"
    status: str
    objective: int
    best_bound: int
    #: (objective - best bound) / max(objective, 1)
    gap: float
    #: weighted objective by term (see :class:`Weights`)
    terms: dict[str, int]
    rounds: list[RoundReport]
    groups: list[GroupReport]
    #: groups with all three constituents / groups, and the shortfall per constituent
    tripartite: dict
    #: shares of person-rounds (of people with wishes) on their first, second, third choice or none
    preferences: dict[str, float]
    #: balance: people outside the floor–ceiling ranges, per category, summed over groups and rounds
    balance: dict[str, int]
    repeated_pairs: int
    topic_repeats: int
    moves: int
    notes: list[str]
    seed: int
    seconds: float
    solver_settings: str

    def group_of(self, participant_id: str, round: int = 1) -> str | None:
        for a in self.assignments:
            if a.participant_id == participant_id and a.round == round:
                return a.group_id
        return None

    def to_dict(self) -> dict:
        return asdict(self)
