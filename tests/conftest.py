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


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache: ids are reused after a rollback, cached values must not be."""
    from django.core.cache import cache

    cache.clear()
    yield
