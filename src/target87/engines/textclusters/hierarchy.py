"""Agglomerative clustering of a cosine-distance matrix, cut at a number of clusters or at a distance.

Cut at a distance, the tree is built by average linkage, so that the threshold keeps its meaning: the average
cosine distance between the texts of two clusters. Cut at a number of clusters, the caller may ask for Ward's
linkage instead, on the Euclidean distances of the unit vectors (the square root of twice their cosine
distance): it minimises the spread within clusters and so favours compact groups of comparable size. The
engine asks for it with dense sentence embeddings, where it recovers labelled groups better; with sparse
TF-IDF vectors average linkage does better across languages, and stays.

A cut of the dendrogram is a set of its nodes whose leaves cover every item once. :func:`cut` finds it and then
splits, again and again, any node that holds a pair the rapporteur kept apart into its two children, so such a
pair never ends in one cluster (the number of clusters may then exceed the one asked for).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def tree(distances: np.ndarray, method: str = "average") -> np.ndarray:
    """The linkage matrix of ``distances`` (cosine), by ``"average"`` or ``"ward"`` linkage."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    if method == "ward":
        distances = np.sqrt(2.0 * np.clip(distances, 0.0, None))
    return linkage(squareform(distances, checks=False), method=method)


def _leaves(node: int, linkage: np.ndarray, n: int) -> list[int]:
    stack, out = [node], []
    while stack:
        current = stack.pop()
        if current < n:
            out.append(current)
        else:
            row = linkage[current - n]
            stack.extend((int(row[0]), int(row[1])))
    return out


def _nodes_for_k(linkage: np.ndarray, n: int, k: int) -> list[int]:
    """The k nodes left when the last k - 1 merges are undone."""
    nodes = {n + len(linkage) - 1} if n > 1 else {0}
    for step in range(len(linkage) - 1, len(linkage) - k, -1):
        nodes.discard(n + step)
        nodes.update((int(linkage[step][0]), int(linkage[step][1])))
    return sorted(nodes)


def _nodes_below(linkage: np.ndarray, n: int, threshold: float) -> list[int]:
    """The nodes left when every merge at a distance of ``threshold`` or more is undone."""
    k = 1 + int(np.sum(linkage[:, 2] >= threshold))
    return _nodes_for_k(linkage, n, k)


def _split_kept_apart(nodes: list[int], linkage: np.ndarray, n: int, apart: Sequence[tuple[int, int]]):
    if not apart:
        return nodes
    pending, done = list(nodes), []
    while pending:
        node = pending.pop()
        members = set(_leaves(node, linkage, n))
        if node >= n and any(a in members and b in members for a, b in apart):
            row = linkage[node - n]
            pending.extend((int(row[0]), int(row[1])))
        else:
            done.append(node)
    return done


def _labels(nodes: list[int], linkage: np.ndarray, n: int) -> np.ndarray:
    labels = np.zeros(n, dtype=int)
    for label, node in enumerate(nodes):
        labels[_leaves(node, linkage, n)] = label
    return labels


def cut(
    distances: np.ndarray,
    *,
    n_clusters: int | None,
    threshold: float | None,
    apart: Sequence[tuple[int, int]] = (),
    linkage_for_k: str = "average",
) -> np.ndarray:
    """A label per item: ``n_clusters`` clusters (built by ``linkage_for_k``), or the clusters left below
    ``threshold`` (average linkage); one of the two is given."""
    n = len(distances)
    if n == 1:
        return np.zeros(1, dtype=int)
    if n_clusters is not None:
        linkage = tree(distances, linkage_for_k)
        nodes = _nodes_for_k(linkage, n, min(n_clusters, n))
    else:
        linkage = tree(distances, "average")
        nodes = _nodes_below(linkage, n, float(threshold))
    return _labels(_split_kept_apart(nodes, linkage, n, apart), linkage, n)
