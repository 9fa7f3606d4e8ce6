"""The allocation engine: known optima, hard rules, rounds, late changes, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from target87.engines.allocation import (
    AllocationError,
    Group,
    Options,
    Participant,
    Problem,
    allocate,
    check_problem,
    metrics,
)
from target87.engines.allocation.bounds import lower_bound
from target87.engines.allocation.decompose import aggregate, blocks_of
from target87.engines.allocation.instance import build_round, water_fill
from target87.engines.allocation.synthetic import synthetic_event

FAST = Options(time_limit=2.0, seed=0)


def P(pid, sh="civil_society", country="KE", gender="f", langs=(), prefs=(), fac=False):
    return Participant(pid, sh, country, gender, frozenset(langs), tuple(prefs), fac)


def groups_by_round(alloc):
    out: dict[int, dict[str, set[str]]] = {}
    for a in alloc.assignments:
        out.setdefault(a.round, {}).setdefault(a.group_id, set()).add(a.participant_id)
    return out


def brute_force(problem: Problem) -> int:
    """The optimum of a one-round problem by enumerating every assignment of units to groups."""
    inst = build_round(problem, 1, {}, {})
    best = None
    for combo in itertools.product(range(inst.n_groups), repeat=inst.n_units):
        assign = np.array(combo)
        if not inst.allowed[np.arange(inst.n_units), assign].all():
            continue
        sizes = np.bincount(assign, weights=inst.unit_size, minlength=inst.n_groups)
        if (sizes > inst.cap).any() or any(assign[a] == assign[b] for a, b in inst.apart):
            continue
        cost = sum(inst.evaluate(assign).values())
        best = cost if best is None else min(best, cost)
    return best


def test_tripartite_by_hand():
    people = [P(f"{s}{k}", s) for s in ("government", "workers", "employers") for k in range(2)]
    pr = Problem(people, [Group("A", 3), Group("B", 3)])
    alloc = allocate(pr, FAST)
    assert alloc.status == "optimal" and alloc.objective == 0 and alloc.gap == 0
    for members in groups_by_round(alloc)[1].values():
        assert {m[:-1] for m in members} == {"government", "workers", "employers"}
    assert alloc.tripartite["groups_complete"] == 2


def test_first_choices_when_they_fit():
    people = [
        P("a", prefs=["Topic A"]),
        P("b", prefs=["Topic A", "Topic B"]),
        P("c", prefs=["Topic B"]),
        P("d", prefs=["Topic B", "Topic A"]),
    ]
    pr = Problem(people, [Group("A", 2, "Topic A"), Group("B", 2, "Topic B")])
    alloc = allocate(pr, FAST)
    assert alloc.preferences["first"] == 1.0
    assert alloc.group_of("a") == "A" and alloc.group_of("c") == "B"


def test_balance_beats_preferences():
    # both women want A, but gender balance puts one woman in each group
    people = [
        P("f1", gender="f", prefs=["A"]),
        P("f2", gender="f", prefs=["A"]),
        P("m1", gender="m", prefs=["B"]),
        P("m2", gender="m", prefs=["A"]),
    ]
    pr = Problem(people, [Group("A", 2, "A"), Group("B", 2, "B")])
    alloc = allocate(pr, FAST)
    g = groups_by_round(alloc)[1]
    assert {len({m[0] for m in members}) for members in g.values()} == {2}
    assert alloc.balance["gender"] == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    sh = ["government", "workers", "employers", "civil_society"]
    people = [
        P(
            f"p{i}",
            sh[rng.integers(4)],
            f"C{rng.integers(3)}",
            "fm"[rng.integers(2)],
            prefs=list(rng.choice(["X", "Y", "Z"], size=2, replace=False)),
        )
        for i in range(8)
    ]
    groups = [Group("G1", 3, "X"), Group("G2", 3, "Y"), Group("G3", 3, "Z")]
    pr = Problem(people, groups, keep_apart=[("p0", "p1")], keep_together=[("p2", "p3")])
    alloc = allocate(pr, FAST)
    best = brute_force(pr)
    assert alloc.status == "optimal"
    assert alloc.objective == best
    assert alloc.best_bound <= best


def test_block_relaxation_is_a_lower_bound():
    for seed in range(3):
        pr = synthetic_event(30, 6, seed=seed, topics=2)
        inst = build_round(pr, 1, {}, {})
        block = blocks_of(inst)
        assert block.max() + 1 == 2
        alloc = allocate(pr, FAST)
        assert lower_bound(inst) <= alloc.objective
        assert lower_bound(aggregate(inst, block)) <= alloc.objective


def test_hard_rules_language_pairs_facilitator():
    people = [P(f"e{i}", langs=["en"]) for i in range(6)] + [P(f"f{i}", langs=["fr"]) for i in range(3)]
    people += [P("bi", langs=["en", "fr"]), P("lead", langs=["fr", "en"], fac=True)]
    groups = [
        Group("EN1", 4, language="en"),
        Group("EN2", 4, language="en"),
        Group("FR", 5, language="fr", facilitator_id="lead"),
    ]
    pr = Problem(people, groups, keep_apart=[("e0", "e1")], keep_together=[("e2", "e3")])
    alloc = allocate(pr, FAST)
    g = {a.participant_id: a.group_id for a in alloc.assignments}
    assert all(g[f"f{i}"] == "FR" for i in range(3))
    assert all(g[f"e{i}"] != "FR" for i in range(6))
    assert g["lead"] == "FR"
    assert g["e0"] != g["e1"] and g["e2"] == g["e3"]


def test_sizes_as_equal_as_capacities_allow():
    assert water_fill(10, [3, 10, 10]) == ([3, 3, 3], [3, 4, 4], [3.0, 3.5, 3.5])
    people = [P(f"p{i}") for i in range(10)]
    alloc = allocate(Problem(people, [Group("S", 2), Group("M", 10), Group("L", 10)]), FAST)
    sizes = sorted(len(m) for m in groups_by_round(alloc)[1].values())
    assert sizes == [2, 4, 4]


def test_rounds_avoid_meeting_again():
    people = [P(f"p{i}") for i in range(9)]
    alloc = allocate(Problem(people, [Group("A", 3), Group("B", 3), Group("C", 3)], rounds=3), FAST)
    assert set(groups_by_round(alloc)) == {1, 2, 3}
    assert alloc.repeated_pairs == 0  # three rounds of a 3×3 design: everyone meets everyone once


def test_rounds_avoid_repeating_topics():
    people = [P(f"p{i}", prefs=["A", "B"]) for i in range(9)]
    groups = [Group("A", 3, "A"), Group("B", 3, "B"), Group("C", 3, "C")]
    alloc = allocate(Problem(people, groups, rounds=2), FAST)
    assert alloc.topic_repeats == 0
    # each round-1 group of 3 can only spread over the two other topics: one pair meets again per group
    assert alloc.repeated_pairs == 3


def test_only_wish_may_repeat():
    people = [P("solo", prefs=["A"])] + [P(f"p{i}", prefs=["B"]) for i in range(3)]
    groups = [Group("A", 2, "A"), Group("B", 2, "B")]
    alloc = allocate(Problem(people, groups, rounds=2), FAST)
    assert alloc.group_of("solo", 1) == "A" and alloc.group_of("solo", 2) == "A"
    assert alloc.topic_repeats == 0


def test_earlier_sittings_outside_the_problem_count_as_meetings():
    people = [P(f"p{i}") for i in range(9)]
    groups = [Group("A", 3), Group("B", 3), Group("C", 3)]
    # an earlier slot of the event sat p0-p2, p3-p5 and p6-p8 together; the next slot mixes them
    before = {f"p{i}": "ABC"[i // 3] for i in range(9)}
    alloc = allocate(Problem(people, groups, met_before=[before]), FAST)
    assert alloc.status == "optimal" and alloc.repeated_pairs == 0
    for members in groups_by_round(alloc)[1].values():
        assert len({before[m] for m in members}) == 3
    # two earlier sittings of a 3×3 design leave a single way to meet nobody again
    second = {f"p{i}": "ABC"[i % 3] for i in range(9)}
    alloc = allocate(Problem(people, groups, met_before=[before, second]), FAST)
    assert alloc.repeated_pairs == 0 and alloc.terms.get("repeat_pairs", 0) == 0
    # without the history the engine does not know, and the figures say who meets again
    blind = allocate(Problem(people, groups), FAST)
    figures = metrics(
        Problem(people, groups, met_before=[before]), {(a.participant_id, 1): a.group_id for a in blind.assignments}
    )
    together = sum(len({before[m] for m in ms}) < len(ms) for ms in groups_by_round(blind)[1].values())
    assert (figures["repeated_pairs"] > 0) == (together > 0)


def test_earlier_sittings_ignore_people_who_are_not_participants_and_keep_pairs_soft():
    people = [P(f"p{i}") for i in range(4)]
    groups = [Group("A", 2), Group("B", 2)]
    # p0 and p1 met before, so did p2 and p3, and someone who left: they end up split
    before = {"p0": "X", "p1": "X", "p2": "Y", "p3": "Y", "gone": "X"}
    alloc = allocate(Problem(people, groups, met_before=[before]), FAST)
    assert alloc.repeated_pairs == 0
    assert alloc.group_of("p0") != alloc.group_of("p1")
    # four people who all met, in groups of two: meeting again cannot be avoided, it is only counted
    alloc = allocate(Problem(people, groups, met_before=[dict.fromkeys(["p0", "p1", "p2", "p3"], "X")]), FAST)
    assert alloc.repeated_pairs == 2 and alloc.status == "optimal"


def test_topics_had_before_the_problem_are_not_given_again():
    people = [P(f"p{i}", prefs=["A", "B"]) for i in range(4)]
    groups = [Group("A", 2, "A"), Group("B", 2, "B")]
    alloc = allocate(Problem(people, groups, topics_had={"p0": ["A"], "p1": ["A"]}), FAST)
    assert alloc.group_of("p0") == alloc.group_of("p1") == "B"
    assert alloc.topic_repeats == 0
    # unless it is the person's only wish
    solo = [P("solo", prefs=["A"]), *people[1:]]
    alloc = allocate(Problem(solo, groups, topics_had={"solo": ["A"]}), FAST)
    assert alloc.group_of("solo") == "A" and alloc.topic_repeats == 0


def test_history_fields_are_keyword_only():
    with pytest.raises(TypeError):
        Problem([P("a")], [Group("A", 1)], 1, (), (), {}, frozenset(), None, [{}])  # type: ignore[misc]


def test_fewest_moves_and_locks():
    pr = synthetic_event(40, 4, seed=5, topics=2)
    first = allocate(pr, FAST)
    previous = {(a.participant_id, a.round): a.group_id for a in first.assignments}
    # one person leaves, one joins; G001 is locked
    people = [p for p in pr.participants if p.id != "P00007"] + [P("new", "government")]
    later = Problem(people, pr.groups, previous=previous, locked=frozenset({"G001"}))
    alloc = allocate(later, FAST)
    kept = {pid for (pid, _r), gid in previous.items() if gid == "G001" and pid != "P00007"}
    assert {a.participant_id for a in alloc.assignments if a.group_id == "G001"} == kept
    assert alloc.moves <= 2
    assert alloc.group_of("new") is not None


def test_same_seed_same_result():
    pr = synthetic_event(60, 6, seed=9)
    a = allocate(pr, Options(time_limit=2, seed=7))
    b = allocate(pr, Options(time_limit=2, seed=7))
    assert a.assignments == b.assignments and a.objective == b.objective


def test_progress_and_stop():
    seen = []

    def progress(p):
        seen.append(p.phase)
        return p.phase == "heuristic"

    alloc = allocate(synthetic_event(60, 6, seed=2), Options(time_limit=5), progress)
    assert "check" in seen and "heuristic" in seen and seen[-1] == "done"
    assert len(alloc.assignments) == 60


def test_large_event_local_search_only():
    pr = synthetic_event(400, 40, seed=1, french_share=0.2)
    alloc = allocate(pr, Options(time_limit=3, heuristic_only=True))
    assert alloc.status in ("optimal", "feasible")
    assert alloc.best_bound <= alloc.objective
    assert alloc.balance["total"] < 40


@pytest.mark.parametrize(
    ("problem", "rule", "words"),
    [
        (Problem([P("a"), P("b"), P("c")], [Group("G", 2)]), "seats", ["More people than seats", "3", "2"]),
        (Problem([P("a", langs=["sw"]), P("b")], [Group("G", 5, language="en")]), "language", ["a", "en"]),
        (
            Problem(
                [P("a"), P("b"), P("c")],
                [Group("G", 3), Group("H", 3)],
                keep_apart=[("a", "c")],
                keep_together=[("a", "b"), ("b", "c")],
            ),
            "pairs",
            ["Contradictory", "a", "c"],
        ),
        (Problem([P("a"), P("a")], [Group("G", 3)]), "duplicate", ["Duplicate", "a"]),
        (Problem([P("a", "ministry")], [Group("G", 3)]), "stakeholder", ["'ministry'", "government", "private_sector"]),
        (Problem([], [Group("G", 3)]), "empty", ["no participants"]),
        (Problem([P("a")], [Group("G", 3, facilitator_id="zz")]), "facilitator", ["zz"]),
        (Problem([P("a")], [Group("G", 3)], locked=frozenset({"G"})), "lock", ["G", "previous"]),
        (
            Problem(
                [P(f"f{i}", langs=["fr"]) for i in range(4)],
                [Group("F", 2, language="fr"), Group("E", 5, language="en")],
            ),
            "language",
            ["fr", "4 people", "2 seats"],
        ),
        (Problem([P("a", prefs=["Nope"])], [Group("G", 3, "Topic")]), "preferences", ["Nope", "Topic"]),
    ],
)
def test_bad_requests_are_named(problem, rule, words):
    with pytest.raises(AllocationError) as info:
        check_problem(problem)
    assert info.value.rule == rule
    for w in words:
        assert w in info.value.message
    assert "INFEASIBLE" not in info.value.message


def test_a_stakeholder_group_too_small_for_every_group_is_named_with_the_count_of_groups_left_without():
    people = [P("gov1", "government"), *(P(f"w{k}", "workers") for k in range(3))]
    people += [P(f"e{k}", "employers") for k in range(3)]
    one_short = allocate(Problem(people, [Group("A", 4), Group("B", 4)]), FAST).notes
    assert any("only 1 of" in n and "for 2 groups; 1 group has none." in n for n in one_short), one_short
    people = [P("gov1", "government"), *(P(f"w{k}", "workers") for k in range(5))]
    people += [P(f"e{k}", "employers") for k in range(3)]
    two_short = allocate(Problem(people, [Group(g, 3) for g in "ABC"]), FAST).notes
    assert any("for 3 groups; 2 groups have none." in n for n in two_short), two_short
