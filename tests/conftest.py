import pytest


@pytest.fixture
def consultation(db):
    from factories import ConsultationFactory

    return ConsultationFactory(slug="bangkok-test")


@pytest.fixture
def convener(consultation):
    from factories import convener_of

    return convener_of(consultation)


@pytest.fixture
def convener_client(client, convener):
    client.force_login(convener)
    return client
