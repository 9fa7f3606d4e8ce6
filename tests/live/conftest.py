import pytest

from factories import SessionFactory
from factories_deliberation import facilitator_of, participant


@pytest.fixture
def lunch_talk(consultation):
    return SessionFactory(consultation=consultation, kind="lunch_talk", title="Lunch talk: counting child labour")


@pytest.fixture
def delegate(consultation):
    return participant(consultation, "workers")


@pytest.fixture
def other(consultation):
    return participant(consultation, "employers")


@pytest.fixture
def facilitator(consultation):
    return facilitator_of(consultation)
