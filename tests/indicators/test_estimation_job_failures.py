"""A background estimation whose result cannot be stored ends failed with a message, never stays "running"
(the upload could then be neither estimated again nor deleted)."""

import pytest

from factories_indicators import csv_upload, statistician
from target87.indicators import services
from target87.indicators.models import Estimation
from target87.jobs.models import Job


@pytest.fixture
def stat(db):
    return statistician()


def test_a_result_that_cannot_be_stored_fails_the_estimation(stat, monkeypatch, django_capture_on_commit_callbacks):
    estimation = services.estimation_upload(actor=stat, upload=csv_upload())
    real = services.compute

    def with_infinity(estimation, progress=None):
        result = real(estimation, progress=progress)
        result["rows"][0]["estimate"] = float("inf")  # not JSON: the database refuses it
        return result

    monkeypatch.setattr(services, "compute", with_infinity)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.estimation_run(
            actor=stat,
            estimation=estimation,
            mapping=estimation.mapping,
            definition="sdg-sna",
            options={"tables": []},
            background=True,
        )
    estimation = Estimation.objects.get(pk=estimation.pk)
    assert estimation.status == "failed"
    assert estimation.error == "The estimation stopped on an unexpected error. Nothing was stored."
    assert Job.objects.get(pk=outcome.job.pk).status == "failed"
    services.estimation_delete(actor=stat, estimation=estimation)  # and the upload can be deleted
    assert not Estimation.objects.filter(pk=estimation.pk).exists()
