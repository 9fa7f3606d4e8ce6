"""Suggested merges: near-duplicate texts end in one cluster; bad input is refused with a clear message."""

from __future__ import annotations

import pytest

from target87.engines import textclusters
from target87.engines.textclusters import Clustering, cluster

TEXTS = [
    "Register every child at birth, free of charge",
    "Make birth registration free and universal for every child",
    "Strengthen labour inspection in agriculture",
    "Strengthen labour inspection in agriculture and fishing",
]


def test_tfidf_puts_paraphrases_together_and_numbers_clusters_from_zero():
    result = cluster(TEXTS, method="tfidf", n_clusters=2)
    assert isinstance(result, Clustering)
    assert result.labels == [0, 0, 1, 1]
    assert result.method == "tfidf"
    assert result.note is None


def test_tfidf_is_always_available():
    assert "tfidf" in textclusters.available_methods()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"n_clusters": 0}, "between 1 and 4"),
        ({"n_clusters": 5}, "between 1 and 4"),
        ({"n_clusters": 2, "threshold": 0.5}, "not both"),
        ({"threshold": 3.0}, "at most 2"),
        ({"method": "bm25"}, "Unknown clustering method"),
        ({"groups": ["q1"]}, "one group"),
        ({"must_link": [(0, 9)]}, "indices run from 0 to 3"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs, words):
    with pytest.raises(ValueError, match=words):
        cluster(TEXTS, **kwargs)


def test_no_texts_and_blank_texts_are_refused():
    with pytest.raises(ValueError, match="no texts"):
        cluster([])
    with pytest.raises(ValueError, match="Text 2 is empty"):
        cluster(["something", "  "])
