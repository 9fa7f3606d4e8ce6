"""Synthetic events for benchmarks, tests and demonstrations (no real people)."""

from __future__ import annotations

import math

import numpy as np

from .types import STAKEHOLDER_GROUPS, Group, Participant, Problem

#: a typical mix at a national target 8.7 consultation
STAKEHOLDER_MIX = {
    "government": 0.18,
    "workers": 0.10,
    "employers": 0.10,
    "civil_society": 0.18,
    "survivor_led": 0.08,
    "un_international": 0.10,
    "development_partner": 0.08,
    "academia": 0.10,
    "private_sector": 0.08,
}

TOPICS = [
    "Forced labour in supply chains",
    "Child labour in agriculture",
    "Human trafficking and migration",
    "Survivor support and remedy",
    "Labour inspection",
    "Social protection",
    "Data and measurement",
    "Financing the response",
]


def synthetic_event(
    n_people: int,
    n_groups: int,
    seed: int = 0,
    *,
    topics: int | None = None,
    french_share: float = 0.0,
    slack: int = 2,
    rounds: int = 1,
) -> Problem:
    """An event of ``n_people`` in ``n_groups`` groups with skewed stakeholder, country and topic mixes.

    With ``french_share`` > 0, that share of groups works in French; as many people speak French only,
    and a quarter of the others speak both languages.
    """
    rng = np.random.default_rng(seed)
    n_topics = topics if topics is not None else max(3, min(len(TOPICS), n_groups // 3))
    names = TOPICS[:n_topics]
    n_countries = max(4, n_people // 25)
    cw = 1.0 / np.arange(1, n_countries + 1) ** 0.8
    cw /= cw.sum()
    tw = 1.0 / np.arange(1, n_topics + 1) ** 0.7
    tw /= tw.sum()
    tw = rng.permutation(tw)
    sw = np.array([STAKEHOLDER_MIX[s] for s in STAKEHOLDER_GROUPS])
    sw /= sw.sum()
    capacity = math.ceil(n_people / n_groups) + slack
    n_french_groups = int(round(n_groups * french_share))
    groups = []
    for k in range(n_groups):
        groups.append(
            Group(
                id=f"G{k + 1:03d}",
                capacity=capacity,
                topic=names[k % n_topics],
                language="fr" if k >= n_groups - n_french_groups else ("en" if n_french_groups else ""),
            )
        )
    people = []
    french_only = int(n_people * french_share * 0.6)
    for i in range(n_people):
        if n_french_groups:
            if i < french_only:
                langs = frozenset({"fr"})
            elif rng.random() < 0.25:
                langs = frozenset({"en", "fr"})
            else:
                langs = frozenset({"en"})
        else:
            langs = frozenset({"en"})
        k = int(rng.integers(1, 4))
        prefs = tuple(names[j] for j in rng.choice(n_topics, size=min(k, n_topics), replace=False, p=tw))
        people.append(
            Participant(
                id=f"P{i + 1:05d}",
                stakeholder_group=str(rng.choice(STAKEHOLDER_GROUPS, p=sw)),
                country=f"C{int(rng.choice(n_countries, p=cw)) + 1:02d}",
                gender=str(rng.choice(["female", "male", "non_binary"], p=[0.5, 0.47, 0.03])),
                languages=langs,
                preferences=prefs,
                facilitator=bool(rng.random() < 0.08),
            )
        )
    return Problem(participants=people, groups=groups, rounds=rounds)
