import pytest

from factories_indicators import statistician


@pytest.fixture
def stat(db):
    return statistician(username="statistician")


@pytest.fixture
def stat_client(client, stat):
    client.force_login(stat)
    return client
