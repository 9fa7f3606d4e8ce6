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
    not see takes the mean of the votes it received) is projected on its first two principal components: the
    singular value decomposition of the centred matrix (``numpy.linalg.svd``), each axis oriented so that its
    largest loading (the first statement's, among loadings equal in size) is positive, so the map does not
    flip from one run or machine to the next. Participants are then clustered with k-means on that map
    (``scipy.cluster.vq.kmeans2``: k-means++ seeding, Lloyd steps until no participant changes group, at
    most 300; the best of 10 seeded starts by within-group sum of squares), k from 2 to 6 chosen by the best
    silhouette score (mean over participants of (b − a) / max(a, b), a the mean distance to the rest of
    their group, b to the nearest other group; 0 for a participant alone in their group; over a seeded
    sample of 2000 participants when there are more). The same seed gives the same map. With fewer than
    four distinct participants there is a single cluster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .types import OpinionMap, Participant, StatementStats, Vote

MAX_CLUSTERS = 5  # Pol.is forms at most five opinion groups; so do we, so that exports read back the same
SILHOUETTE_SAMPLE = 2000
KMEANS_STARTS = 10
KMEANS_MAX_STEPS = 300


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
        centred = matrix - matrix.mean(axis=0)
        _u, singular, rows = np.linalg.svd(centred, full_matrices=False)
        rows = rows[:components] * _orientation(rows[:components])[:, None]
        coordinates[:, :components] = centred @ rows.T
        shares = singular**2 / np.sum(singular**2)
        ratios = [float(share) for share in shares[:components]] + [0.0] * (2 - components)
        explained = (ratios[0], ratios[1])
        axes = np.zeros((2, len(items)))
        axes[:components] = rows
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


def _orientation(rows):
    """+1 or −1 per principal axis: the sign that makes the axis's largest loading positive (among loadings
    equal in size to within rounding, the first)."""
    import numpy as np

    size = np.abs(rows)
    largest = np.argmax(size >= size.max(axis=1, keepdims=True) - 1e-9, axis=1)
    return np.where(rows[np.arange(len(rows)), largest] < 0, -1.0, 1.0)


def _clusters(points, seed: int):
    import numpy as np

    distinct = len(np.unique(np.round(points, 9), axis=0))
    if distinct < 4:
        return np.zeros(len(points), dtype=int), 1, None

    best = None
    for k in range(2, min(MAX_CLUSTERS, distinct - 1) + 1):
        labels = _kmeans(points, k, seed)
        if labels is None or len(set(labels)) < 2:
            continue
        score = _silhouette(points, labels, seed)
        if score is not None and (best is None or score > best[2] + 1e-12):
            best = (labels, k, score)
    if best is None:
        return np.zeros(len(points), dtype=int), 1, None
    return _relabel(best[0]), best[1], best[2]


def _kmeans(points, k: int, seed: int):
    """The labels of the best of ``KMEANS_STARTS`` k-means runs (least within-group sum of squares; the first
    among equals), each from k-means++ seeds drawn from one generator seeded with ``seed``; None if every
    run left a group empty."""
    import numpy as np
    from scipy.cluster.vq import ClusterError, kmeans2

    rng = np.random.default_rng(seed)
    best, least = None, np.inf
    for _start in range(KMEANS_STARTS):
        try:
            centroids, labels = kmeans2(points, k, iter=1, minit="++", missing="raise", rng=rng)
            # kmeans2 takes a set number of steps: take them one at a time until the groups no longer change.
            for _step in range(KMEANS_MAX_STEPS - 1):
                centroids, moved = kmeans2(points, centroids, iter=1, minit="matrix", missing="raise")
                if np.array_equal(moved, labels):
                    break
                labels = moved
        except ClusterError:
            continue
        inertia = float(np.sum((points - centroids[labels]) ** 2))
        if inertia < least:
            best, least = labels, inertia
    return best


def _silhouette(points, labels, seed: int) -> float | None:
    """The mean silhouette of the points (of a seeded sample of ``SILHOUETTE_SAMPLE`` when there are more);
    None when the sample holds a single group."""
    import numpy as np
    from scipy.spatial.distance import pdist, squareform

    if len(points) > SILHOUETTE_SAMPLE:
        sample = np.random.default_rng(seed).choice(len(points), size=SILHOUETTE_SAMPLE, replace=False)
        points, labels = points[sample], labels[sample]
    groups, own = np.unique(labels, return_inverse=True)
    if len(groups) < 2:
        return None
    members = own[:, None] == np.arange(len(groups))[None, :]
    sizes = members.sum(axis=0)
    totals = squareform(pdist(points)) @ members  # each point's summed distance to each group
    everyone = np.arange(len(points))
    a = totals[everyone, own] / np.maximum(sizes[own] - 1, 1)
    others = totals / sizes
    others[everyone, own] = np.inf
    b = others.min(axis=1)
    larger = np.maximum(a, b)
    alone = sizes[own] == 1
    s = np.divide(b - a, larger, out=np.zeros(len(points)), where=(larger > 0) & ~alone)
    return float(s.mean())


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
