"""Agree / disagree / pass on statements, as in Pol.is, read across stakeholder groups.

Group-aware consensus
    For a statement s and a stakeholder group g, ``seen`` counts the members of g who voted on s (agree,
    disagree or pass) and ``agree`` those who agreed. The group's smoothed agreement is
    (agree + 1) / (seen + 2) — a group that has not seen s sits at ½ — and the consensus is the product of
    the smoothed agreement over all stakeholder groups. A statement scores high only if every group tends to
    agree, whatever the size of each group; a large group cannot carry a statement that the others reject.

Plain ranking
    The share of all voters who agreed among those who voted on the statement (agree / seen), the number a
    simple majority reading would rank by, shown next to the consensus.

Divisiveness
    The gap between the most and the least agreeing groups' smoothed agreement, among the groups that voted
    on the statement: 0 when all groups agree to the same extent, close to 1 when one group almost
    unanimously agrees and another almost unanimously disagrees. 0 when fewer than two groups voted on it.

Opinion map
    The vote matrix (participants × statements: agree 1, disagree −1, pass 0; a statement a participant did
    not see takes the mean of the votes it received) is projected on its first two principal components
    (``scikit-learn``'s PCA); participants are then clustered with k-means on that map, k from 2 to 6 chosen
    by the best silhouette score (seeded, so the map is reproducible). With fewer than four distinct
    participants there is a single cluster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .types import OpinionMap, Participant, StatementStats, Vote

MAX_CLUSTERS = 6
SILHOUETTE_SAMPLE = 2000


def smoothed(agree: int, seen: int) -> float:
    return (agree + 1) / (seen + 2)


#: per (statement, stakeholder group): how many of the group agreed, disagreed and passed
Counts = Mapping[tuple[str, str], Sequence[int]]


def count(votes: Sequence[Vote]) -> dict[tuple[str, str], list[int]]:
    """The votes counted per (statement, group): [agree, disagree, pass] — all that the consensus, the plain
    share and the divisiveness depend on (a database can count them too, without reading every vote)."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for vote in votes:
        counts[vote.item, vote.group][0 if vote.value == 1 else 1 if vote.value == -1 else 2] += 1
    return counts


def statement_stats(votes: Sequence[Vote], items: Sequence[str], groups: Sequence[str]) -> list[StatementStats]:
    return stats_from_counts(count(votes), items, groups)


def stats_from_counts(counts: Counts, items: Sequence[str], groups: Sequence[str]) -> list[StatementStats]:
    """Each statement's figures from the counts per (statement, group) (see :func:`count`)."""
    none = (0, 0, 0)
    stats = []
    for item in items:
        per_group = {g: counts.get((item, g), none) for g in groups}
        agree = sum(c[0] for c in per_group.values())
        disagree = sum(c[1] for c in per_group.values())
        passed = sum(c[2] for c in per_group.values())
        seen = agree + disagree + passed
        group_seen = {g: sum(per_group[g]) for g in groups}
        agreement = {g: smoothed(per_group[g][0], group_seen[g]) for g in groups}
        consensus = 1.0
        for g in groups:
            consensus *= agreement[g]
        voted = [g for g in groups if group_seen[g] > 0]
        if len(voted) >= 2:
            most = max(voted, key=lambda g: (agreement[g], g))
            least = min(voted, key=lambda g: (agreement[g], g))
            divisiveness = agreement[most] - agreement[least]
        else:
            most = least = voted[0] if voted else None
            divisiveness = 0.0
        stats.append(
            StatementStats(
                item=item,
                seen=seen,
                agree=agree,
                disagree=disagree,
                passed=passed,
                agree_share=agree / seen if seen else 0.0,
                consensus=consensus,
                group_agreement=agreement,
                group_seen=group_seen,
                divisiveness=divisiveness,
                most_agreeing_group=most,
                least_agreeing_group=least,
            )
        )
    return stats


def opinion_map(votes: Sequence[Vote], items: Sequence[str], seed: int = 0) -> OpinionMap:
    import numpy as np

    voters = sorted({vote.voter for vote in votes})
    group_of = {vote.voter: vote.group for vote in votes}
    row = {voter: number for number, voter in enumerate(voters)}
    column = {item: number for number, item in enumerate(items)}
    matrix = np.full((len(voters), len(items)), np.nan)
    for vote in votes:
        matrix[row[vote.voter], column[vote.item]] = vote.value
    means = np.nanmean(matrix, axis=0)  # every statement here has at least one vote
    matrix = np.where(np.isnan(matrix), means[None, :], matrix)

    coordinates = np.zeros((len(voters), 2))
    explained = (0.0, 0.0)
    loadings = {item: (0.0, 0.0) for item in items}
    components = min(2, len(voters), len(items))
    if components >= 1 and len(voters) >= 2 and np.ptp(matrix, axis=0).any():
        from sklearn.decomposition import PCA

        pca = PCA(n_components=components, random_state=seed)
        projected = pca.fit_transform(matrix)
        coordinates[:, :components] = projected
        ratios = list(pca.explained_variance_ratio_) + [0.0] * (2 - components)
        explained = (float(ratios[0]), float(ratios[1]))
        axes = np.zeros((2, len(items)))
        axes[:components] = pca.components_
        loadings = {item: (float(axes[0, j]), float(axes[1, j])) for j, item in enumerate(items)}

    labels, k, silhouette = _clusters(coordinates, seed)
    participants = tuple(
        Participant(
            voter=voter,
            group=group_of[voter],
            x=float(coordinates[i, 0]),
            y=float(coordinates[i, 1]),
            cluster=int(labels[i]),
        )
        for i, voter in enumerate(voters)
    )
    return OpinionMap(
        participants=participants,
        clusters=k,
        silhouette=silhouette,
        explained_variance=explained,
        loadings=loadings,
    )


def _clusters(points, seed: int):
    import numpy as np

    distinct = len(np.unique(np.round(points, 9), axis=0))
    if distinct < 4:
        return np.zeros(len(points), dtype=int), 1, None

    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    best = None
    for k in range(2, min(MAX_CLUSTERS, distinct - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(points)
        if len(set(labels)) < 2:
            continue
        sample = min(len(points), SILHOUETTE_SAMPLE)
        score = float(silhouette_score(points, labels, sample_size=sample, random_state=seed))
        if best is None or score > best[2] + 1e-12:
            best = (labels, k, score)
    if best is None:
        return np.zeros(len(points), dtype=int), 1, None
    return _relabel(best[0]), best[1], best[2]


def _relabel(labels):
    """Number clusters by size, largest first (ties by first appearance), so labels read the same each run."""
    import numpy as np

    sizes = defaultdict(int)
    first: dict[int, int] = {}
    for position, label in enumerate(labels):
        sizes[int(label)] += 1
        first.setdefault(int(label), position)
    order = sorted(sizes, key=lambda label: (-sizes[label], first[label]))
    mapping = {label: number for number, label in enumerate(order)}
    return np.array([mapping[int(label)] for label in labels])
