"""Suggested merges with several embedding models and a known number of clusters: Ward's linkage as scipy
computes it on the vectors themselves, and models combined so that their cosines are averaged by weight."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.metrics import adjusted_rand_score

from target87.engines.textclusters import cluster, hierarchy, vectors

TEXTS = [
    "Register every child at birth, free of charge",
    "Make birth registration free and universal for every child",
    "Enregistrer gratuitement toutes les naissances",
    "Ban recruitment fees for migrant workers",
]


def unit_rows(seed: int, n: int = 12, dim: int = 6) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ward_on_cosine_distances_is_ward_on_the_unit_vectors(seed):
    points = unit_rows(seed)
    reference = linkage(points, method="ward")  # scipy's Ward on the vectors themselves
    ours = hierarchy.tree(vectors.cosine_distances(points), "ward")
    assert np.allclose(ours[:, 2], reference[:, 2])
    for k in (2, 3, 5):
        expected = fcluster(reference, k, "maxclust")
        found = hierarchy.cut(vectors.cosine_distances(points), n_clusters=k, threshold=None, linkage_for_k="ward")
        assert adjusted_rand_score(expected, found) == 1.0


def test_a_threshold_still_means_an_average_cosine_distance():
    points = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    distances = vectors.cosine_distances(points)  # 0.2 between the first two, 0.4 and 1.0 to the third
    below = hierarchy.cut(distances, n_clusters=None, threshold=0.3)
    assert below[0] == below[1] != below[2]
    assert len(set(hierarchy.cut(distances, n_clusters=None, threshold=0.8))) == 1


@pytest.fixture
def two_models(monkeypatch):
    """Both models installed, each giving fixed vectors, and what each was given to read."""
    made = {model.name: unit_rows(seed, n=len(TEXTS)) for seed, model in enumerate(vectors.MODELS)}
    read: dict[str, list[str]] = {}

    def embeddings(texts, model):
        read[model.name] = list(texts) if model.multilingual else vectors.prepared(texts)
        return made[model.name]

    monkeypatch.setattr(vectors, "installed_models", lambda: list(vectors.MODELS))
    monkeypatch.setattr(vectors, "installed_model", lambda: vectors.MODELS[0])
    monkeypatch.setattr(vectors, "embeddings", embeddings)
    return made, read


def test_the_models_cosines_are_averaged_by_their_weights(two_models):
    made, _read = two_models
    matrix = vectors.combined(TEXTS, vectors.MODELS)
    total = sum(model.weight for model in vectors.MODELS)
    expected = sum(model.weight / total * (made[model.name] @ made[model.name].T) for model in vectors.MODELS)
    assert np.allclose(matrix @ matrix.T, expected)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0)


def test_the_multilingual_model_reads_french_as_written_the_english_one_through_the_glossary(two_models):
    _made, read = two_models
    cluster(TEXTS, method="embeddings", n_clusters=2)
    assert read["multilingual-e5-small"][2] == "Enregistrer gratuitement toutes les naissances"
    assert read["all-MiniLM-L6-v2"][2] != read["multilingual-e5-small"][2]
    assert "birth" in read["all-MiniLM-L6-v2"][2]


def test_a_result_names_every_model_that_made_it(two_models):
    result = cluster(TEXTS, method="embeddings", n_clusters=2)
    assert result.method == "embeddings"
    assert result.model == "all-MiniLM-L6-v2 + multilingual-e5-small"
    assert len(result.labels) == 4


LANGUAGE_TEXTS = [
    "Ban recruitment fees for migrant workers",
    "Register every child at birth, free of charge",
    "Strengthen labour inspection in agriculture",
    "Fund shelters for survivors of trafficking",
    "Interdire les frais de recrutement pour les travailleurs migrants",
    "Enregistrer toutes les naissances des enfants",
    "Renforcer l'inspection du travail dans l'agriculture",
    "Financer des centres d'hébergement pour les victimes de la traite",
]


@pytest.fixture
def accented_model(monkeypatch):
    """A model whose vectors are the text's topic plus a large share that says it is French."""
    topic = np.eye(6)[[0, 1, 2, 3, 0, 1, 2, 3]]
    french = np.array([0, 0, 0, 0, 1, 1, 1, 1])[:, None] * np.eye(6)[5] * 1.5
    made = topic + french
    monkeypatch.setattr(vectors, "_load", lambda model: None)
    monkeypatch.setattr(vectors, "_encode", lambda loaded, model, texts: made[: len(texts)])
    monkeypatch.setattr(vectors, "_reference_mean", lambda model: np.zeros(6))
    return vectors.MODELS[1]


def test_a_french_text_is_nearer_its_english_paraphrase_than_other_french_texts(accented_model):
    similarity = vectors.embeddings(LANGUAGE_TEXTS, accented_model)
    cosine = similarity @ similarity.T
    for english in range(4):
        french = english + 4
        others = [cosine[french, other] for other in range(4, 8) if other != french]
        assert cosine[french, english] > max(others)


def test_a_set_in_one_language_is_centred_as_before(accented_model):
    english = LANGUAGE_TEXTS[:4]
    raw = np.eye(6)[[0, 1, 2, 3]]
    expected = raw - (raw.sum(axis=0) + vectors.REFERENCE_WEIGHT * np.zeros(6)) / (4 + vectors.REFERENCE_WEIGHT)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(vectors.embeddings(english, accented_model), expected)
