"""Suggest merges of near-duplicate texts: group contributions and recommendations that say the same thing.

Free of Django. The synthesis pages and ``target87 cluster`` call :func:`cluster` with the texts and read a
:class:`Clustering` back: one cluster label per text, the method that actually ran, and a note (an English
sentence, marked for translation) when the method asked for could not run.

Methods
    ``"tfidf"``
        Always available. Texts are lower-cased and their accents folded, then described by TF-IDF
        weights of character n-grams (3 to 5 letters inside words), which match the shared stems of
        paraphrases and of related words across English, French and Spanish.
    ``"embeddings"``
        Sentence embeddings from an offline model package (the ``embeddings`` extra); never a download at
        run time. :func:`available_methods` says whether it is installed.
    ``"auto"``
        Embeddings when installed, otherwise TF-IDF with a note saying so.

Asking for ``"embeddings"`` when the model is not installed does not fail: TF-IDF runs and the note says why.

How many clusters
    ``n_clusters`` fixes the number (1 to the number of texts). ``threshold`` is a cosine distance (0 to 2):
    texts are merged while the average distance between two clusters stays below it. With neither, the
    number is chosen by the silhouette of the clustering (the best of every number from 2 to n - 1).
    Giving both is an error.

Signals and feedback
    ``groups``: one value per text (the key question it answers, or None). Texts from different groups are
    held a little further apart (:data:`GROUP_PENALTY` is added to their distance), so a merge across
    questions needs closer wording. ``must_link``: pairs of text indices the rapporteur merged; they always
    end in one cluster. ``cannot_link``: pairs the rapporteur kept apart; they are held at the largest
    distance, so they are never merged by distance alone (a ``must_link`` chain can still join them).

Bad input (no texts, a blank text, an out-of-range number, both ``n_clusters`` and ``threshold``, pair
indices out of range, ``groups`` of the wrong length) raises :class:`ValueError` with a message that says
what is wrong.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from target87.engines.i18n import gettext as _

METHODS = ("auto", "tfidf", "embeddings")

#: added to the cosine distance of two texts whose ``groups`` differ (both known)
GROUP_PENALTY = 0.1
#: the distance given to pairs the rapporteur kept apart
FAR = 4.0


@dataclass(frozen=True)
class Clustering:
    """The result of :func:`cluster`."""

    labels: list[int]  #: one label per input text, 0..k-1, numbered in order of first appearance
    method: str  #: "embeddings" or "tfidf": what actually ran
    note: str | None = None  #: why the method asked for did not run (English, translatable), or None

    @property
    def n_clusters(self) -> int:
        return len(set(self.labels))

    def members(self) -> list[list[int]]:
        """The indices of the texts in each cluster, cluster by cluster."""
        out: list[list[int]] = [[] for _ in range(self.n_clusters)]
        for index, label in enumerate(self.labels):
            out[label].append(index)
        return out


# -- availability ------------------------------------------------------------------------------------------
def _embeddings_available() -> bool:
    return False


def available_methods() -> list[str]:
    """``"tfidf"``, and ``"embeddings"`` when the model package is installed."""
    return ["tfidf", "embeddings"] if _embeddings_available() else ["tfidf"]


# -- text preparation --------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower case without accents: "Protección Sociale" → "proteccion sociale"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _tfidf_vectors(texts: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold, sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(list(texts))
    return matrix.toarray()


def _cosine_distances(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    distances = 1.0 - unit @ unit.T
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    return distances


# -- checks ------------------------------------------------------------------------------------------------
def _check(texts, method, n_clusters, threshold, groups, must_link, cannot_link) -> None:
    n = len(texts)
    if n == 0:
        raise ValueError(_("There are no texts to cluster: give at least one."))
    for index, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(_("Text %(n)d is empty: every text must say something.") % {"n": index + 1})
    if method not in METHODS:
        raise ValueError(
            _("Unknown clustering method “%(method)s”: use one of %(methods)s.")
            % {"method": method, "methods": ", ".join(METHODS)}
        )
    if n_clusters is not None and threshold is not None:
        raise ValueError(_("Give either a number of clusters or a distance threshold, not both."))
    if n_clusters is not None and not 1 <= n_clusters <= n:
        raise ValueError(
            _("The number of clusters must be between 1 and %(n)d (the number of texts); %(k)s was given.")
            % {"n": n, "k": n_clusters}
        )
    if threshold is not None and not 0 < threshold <= 2:
        raise ValueError(_("The distance threshold must be above 0 and at most 2; %(t)s was given.") % {"t": threshold})
    if groups is not None and len(groups) != n:
        raise ValueError(
            _("There are %(g)d groups for %(n)d texts: give one group (or None) per text.") % {"g": len(groups), "n": n}
        )
    for pairs in (must_link, cannot_link):
        for pair in pairs:
            if len(pair) != 2 or not all(isinstance(i, int | np.integer) and 0 <= i < n for i in pair):
                raise ValueError(
                    _("The pair %(pair)s does not name two texts: indices run from 0 to %(last)d.")
                    % {"pair": tuple(pair), "last": n - 1}
                )


# -- clustering --------------------------------------------------------------------------------------------
def _components(n: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """Union-find over the must-link pairs: the root of each index."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[find(int(a))] = find(int(b))
    return [find(i) for i in range(n)]


def _adjust(distances, groups, must_link, cannot_link) -> tuple[np.ndarray, list[int]]:
    """Apply the group penalty, the rapporteur's kept-apart pairs, and collapse must-link components.

    Returns the distances between components (average of their members) and each text's component index.
    """
    d = distances.copy()
    if groups is not None:
        known = np.array([g is not None for g in groups])
        keys = np.array([str(g) for g in groups], dtype=object)
        differ = (keys[:, None] != keys[None, :]) & known[:, None] & known[None, :]
        d = d + GROUP_PENALTY * differ
    for a, b in cannot_link:
        d[a, b] = d[b, a] = FAR
    roots = _components(len(d), must_link)
    order = {root: k for k, root in enumerate(dict.fromkeys(roots))}
    component = [order[r] for r in roots]
    m = len(order)
    if m == len(d):
        np.fill_diagonal(d, 0.0)
        return d, component
    index = np.array(component)
    collapsed = np.zeros((m, m))
    for i in range(m):
        rows = d[index == i]
        for j in range(i + 1, m):
            block = rows[:, index == j]
            value = FAR if (block >= FAR).any() else block.mean()
            collapsed[i, j] = collapsed[j, i] = value
    return collapsed, component


def _linkage(d: np.ndarray):
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    return linkage(squareform(d, checks=False), method="average")


def _cut(tree, n_items: int, d: np.ndarray, n_clusters: int | None, threshold: float | None) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster

    if n_items == 1:
        return np.zeros(1, dtype=int)
    if n_clusters is not None:
        return fcluster(tree, t=min(n_clusters, n_items), criterion="maxclust")
    if threshold is not None:
        return fcluster(tree, t=threshold, criterion="distance")
    return _best_by_silhouette(tree, n_items, d)


def _best_by_silhouette(tree, n_items: int, d: np.ndarray) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster
    from sklearn.metrics import silhouette_score

    if n_items <= 2:
        return np.arange(1, n_items + 1)
    best, best_score = None, -np.inf
    capped = np.minimum(d, 2.0)
    for k in range(2, n_items):
        labels = fcluster(tree, t=k, criterion="maxclust")
        found = len(set(labels))
        if found < 2 or found >= n_items:
            continue
        score = silhouette_score(capped, labels, metric="precomputed")
        if score > best_score:
            best, best_score = labels, score
    return best if best is not None else np.arange(1, n_items + 1)


def _renumber(labels: Sequence[int]) -> list[int]:
    order: dict[int, int] = {}
    return [order.setdefault(int(label), len(order)) for label in labels]


def cluster(
    texts: Sequence[str],
    *,
    method: str = "auto",
    n_clusters: int | None = None,
    threshold: float | None = None,
    groups: Sequence[str | None] | None = None,
    must_link: Sequence[tuple[int, int]] = (),
    cannot_link: Sequence[tuple[int, int]] = (),
) -> Clustering:
    """Group the texts that say the same thing; see the module's documentation."""
    texts = list(texts)
    _check(texts, method, n_clusters, threshold, groups, must_link, cannot_link)
    note = None
    ran = "tfidf"
    if method in ("auto", "embeddings") and not _embeddings_available():
        note = _(
            "The sentence-embedding model is not installed, so the texts were compared by their words "
            "(TF-IDF); install the “embeddings” extra for better suggestions across languages."
        )
    vectors = _tfidf_vectors(texts)
    distances = _cosine_distances(vectors)
    d, component = _adjust(distances, groups, must_link, cannot_link)
    m = len(d)
    k = None if n_clusters is None else min(n_clusters, m)
    tree = _linkage(d) if m > 1 else None
    component_labels = _cut(tree, m, d, k, threshold)
    labels = [int(component_labels[c]) for c in component]
    return Clustering(labels=_renumber(labels), method=ran, note=note)
