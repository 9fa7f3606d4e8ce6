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


@pytest.fixture
def rapporteur_client(client, consultation):
    """A client signed in as a rapporteur of the consultation (who writes its outcome report)."""
    from factories import ParticipationFactory, PersonFactory, UserFactory

    user = UserFactory()
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=user), role="rapporteur")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (ids are reused after a rollback, cached values must not be) and
    ends in the default language: a page requested in Spanish leaves Spanish active in this thread, and the next
    test would read its messages in Spanish.

    The engine tests also run without Django (``-p no:django``): then there is no cache to clear.
    """
    from django.conf import settings

    if settings.configured:
        from django.core.cache import cache

        cache.clear()
    yield
    if settings.configured:
        from django.utils import translation

        translation.deactivate()
