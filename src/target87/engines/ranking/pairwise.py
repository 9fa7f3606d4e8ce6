"""Pairwise choices as in All Our Ideas, scored with a Bradley–Terry model (fitted with ``choix``).

The model gives each item a strength θ; the chance that item i is chosen over item j is
1 / (1 + exp(θⱼ − θᵢ)). The strengths are the maximum of the likelihood of all choices under a weak Gaussian
prior of precision ``regularization`` (0.01 by default: it keeps the estimate finite for an item that never
lost and leaves the others practically at their maximum-likelihood value; 0 gives the plain maximum
likelihood, which exists only when every item has both won and lost along a chain of choices).

An item's score is the model's chance, in percent, that it is chosen over an item drawn at random among the
others (All Our Ideas' score). Confidence intervals come from a percentile bootstrap over voters: voters are
drawn with replacement (each bringing all their choices), the model is refitted, and the interval holds the
central ``level`` share of the refitted scores. The draws come from ``numpy``'s generator seeded with
``seed``, so the same votes and seed give the same intervals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .types import Comparison

DEFAULT_REGULARIZATION = 0.01
DEFAULT_BOOTSTRAP = 200
DEFAULT_LEVEL = 0.95


@dataclass(frozen=True)
class BradleyTerryFit:
    strengths: dict[str, float]
    scores: dict[str, float]
    intervals: dict[str, tuple[float, float]]


def fit_strengths(n_items: int, data: Sequence[tuple[int, int]], regularization: float):
    """Bradley–Terry strengths (centred log-strengths) for choices given as (winner, loser) indices."""
    import choix
    import numpy as np

    if not data:
        return np.zeros(n_items)
    theta = choix.opt_pairwise(n_items, list(data), alpha=regularization, tol=1e-8)
    return theta - theta.mean()


def win_chances(theta):
    """Each item's chance, in percent, of being chosen over another item drawn at random."""
    import numpy as np

    n = len(theta)
    if n < 2:
        return np.full(n, 50.0)
    diff = theta[:, None] - theta[None, :]
    chance = 1.0 / (1.0 + np.exp(-diff))
    np.fill_diagonal(chance, 0.0)
    return 100.0 * chance.sum(axis=1) / (n - 1)


def bradley_terry(
    comparisons: Sequence[Comparison],
    items: Sequence[str],
    *,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    level: float = DEFAULT_LEVEL,
    seed: int = 0,
    regularization: float = DEFAULT_REGULARIZATION,
) -> BradleyTerryFit:
    import numpy as np

    index = {item: number for number, item in enumerate(items)}
    by_voter: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for choice in comparisons:
        by_voter[choice.voter].append((index[choice.winner], index[choice.loser]))
    voters = sorted(by_voter)
    data = [pair for voter in voters for pair in by_voter[voter]]

    theta = fit_strengths(len(items), data, regularization)
    scores = win_chances(theta)

    intervals: dict[str, tuple[float, float]] = {}
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        draws = np.empty((bootstrap, len(items)))
        for b in range(bootstrap):
            chosen = rng.integers(0, len(voters), size=len(voters))
            sample = [pair for v in chosen for pair in by_voter[voters[v]]]
            draws[b] = win_chances(fit_strengths(len(items), sample, regularization))
        tail = (1.0 - level) / 2.0 * 100.0
        lower = np.percentile(draws, tail, axis=0)
        upper = np.percentile(draws, 100.0 - tail, axis=0)
        intervals = {item: (float(lower[i]), float(upper[i])) for i, item in enumerate(items)}

    return BradleyTerryFit(
        strengths={item: float(theta[i]) for i, item in enumerate(items)},
        scores={item: float(scores[i]) for i, item in enumerate(items)},
        intervals=intervals,
    )
