import pytest
from factories_synthesis import Texts

from factories import KeyQuestionFactory, SessionFactory


@pytest.fixture
def questions(consultation):
    return [KeyQuestionFactory(consultation=consultation, position=n) for n in (1, 2)]


@pytest.fixture
def breakouts(consultation):
    return [SessionFactory(consultation=consultation, kind="breakout", title=f"Breakout {g}") for g in "ABC"]


@pytest.fixture
def texts(consultation, convener, questions, breakouts):
    return Texts(consultation, convener, questions, breakouts)


@pytest.fixture
def without_model(monkeypatch):
    """As on a server where the embeddings extra is not installed."""
    from target87.engines.textclusters import vectors

    monkeypatch.setattr(vectors, "installed_model", lambda: None)
