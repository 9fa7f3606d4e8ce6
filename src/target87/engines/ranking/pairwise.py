"""Pairwise choices as in All Our Ideas, scored with a Bradley–Terry model (fitted with ``choix``).

The model gives each item a strength θ; the chance that item i is chosen over item j is
1 / (1 + exp(θⱼ − θᵢ)). The strengths maximise the likelihood of the choices (``choix``'s iterative Luce
spectral ranking on the matrix of win counts) after crediting each item with ``prior_wins`` virtual wins over
every other item (0.1 by default). That light prior keeps the estimate finite for an item that never lost
and the model defined when some items were never compared, while leaving well-observed pairs practically at
their maximum-likelihood value. With ``prior_wins=0`` the estimate is the plain maximum likelihood, which
exists only when every item is linked to every other by a chain of wins both ways.

An item's score is the model's chance, in percent, that it is chosen over an item drawn at random among the
others (All Our Ideas' score); the scores average 50. Confidence intervals come from a percentile bootstrap
over voters: voters are drawn with replacement (each bringing all their choices), the model is refitted, and
the interval holds the central ``level`` share of the refitted scores. The draws come from ``numpy``'s
generator seeded with ``seed``, so the same votes and seed give the same intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .types import Comparison

DEFAULT_PRIOR_WINS = 0.1
DEFAULT_BOOTSTRAP = 200
DEFAULT_LEVEL = 0.95


@dataclass(frozen=True)
class BradleyTerryFit:
    strengths: dict[str, float]
    scores: dict[str, float]
    intervals: dict[str, tuple[float, float]]


def fit_strengths(wins, prior_wins: float):
    """Bradley–Terry strengths (centred log-strengths) from ``wins[i, j]``, the times i was chosen over j."""
    import choix
    import numpy as np

    n = wins.shape[0]
    if n < 2:
        return np.zeros(n)
    counts = wins + prior_wins * (1.0 - np.eye(n))
    theta = choix.ilsr_pairwise_dense(counts, max_iter=10_000, tol=1e-10)
    return theta - theta.mean()


def has_mle(wins) -> bool:
    """Whether the plain maximum likelihood exists: every item reaches every other through wins."""
    from scipy.sparse.csgraph import connected_components

    n_components, _labels = connected_components(wins > 0, directed=True, connection="strong")
    return n_components == 1


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
    prior_wins: float = DEFAULT_PRIOR_WINS,
) -> BradleyTerryFit:
    import numpy as np

    index = {item: number for number, item in enumerate(items)}
    voters = sorted({choice.voter for choice in comparisons})
    voter_index = {voter: number for number, voter in enumerate(voters)}
    winner = np.array([index[c.winner] for c in comparisons], dtype=int)
    loser = np.array([index[c.loser] for c in comparisons], dtype=int)
    voter_of = np.array([voter_index[c.voter] for c in comparisons], dtype=int)
    n = len(items)

    def wins_matrix(weights):
        wins = np.zeros((n, n))
        np.add.at(wins, (winner, loser), weights)
        return wins

    wins = wins_matrix(np.ones(len(comparisons)))
    if prior_wins <= 0 and not has_mle(wins):
        from target87.engines.i18n import gettext as _

        from .types import RankingInputError

        raise RankingInputError(
            _(
                "Without a prior, Bradley–Terry needs every item to be linked to every other by a chain of wins "
                "both ways; these choices are not."
            )
        )
    theta = fit_strengths(wins, prior_wins)
    scores = win_chances(theta)

    intervals: dict[str, tuple[float, float]] = {}
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        draws = np.empty((bootstrap, n))
        for b in range(bootstrap):
            # how many times each voter is drawn; each of their choices counts that many times
            times = np.bincount(rng.integers(0, len(voters), size=len(voters)), minlength=len(voters))
            sample = wins_matrix(times[voter_of])
            # without a prior, a draw that lost the chains of wins the estimate needs takes the default prior
            prior = prior_wins if prior_wins > 0 or has_mle(sample) else DEFAULT_PRIOR_WINS
            draws[b] = win_chances(fit_strengths(sample, prior))
        tail = (1.0 - level) / 2.0 * 100.0
        lower = np.percentile(draws, tail, axis=0)
        upper = np.percentile(draws, 100.0 - tail, axis=0)
        intervals = {item: (float(lower[i]), float(upper[i])) for i, item in enumerate(items)}

    return BradleyTerryFit(
        strengths={item: float(theta[i]) for i, item in enumerate(items)},
        scores={item: float(scores[i]) for i, item in enumerate(items)},
        intervals=intervals,
    )
