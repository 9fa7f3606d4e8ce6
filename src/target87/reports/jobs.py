"""The report built in the background: the same build, with its steps on the job page."""

from __future__ import annotations

from django.urls import reverse

from target87.consultations.models import Consultation
from target87.jobs.registry import job_kind

from . import services
from .models import Channel

KIND = "reports.build"


@job_kind(KIND)
def _build_job(job, progress):
    consultation = Consultation.objects.get(pk=job.params["consultation"])
    channel = Channel.objects.filter(pk=job.params.get("channel"), consultation=consultation).first()
    edition = services.edition_build(
        actor=job.created_by,
        consultation=consultation,
        channel=channel,
        language=job.params.get("language", "en"),
        kind=job.params.get("kind", "outcome"),
        currency=job.params.get("currency", ""),
        progress=progress,
    )
    url = reverse("reports:manage", kwargs={"slug": consultation.slug})
    return {"edition": edition.number}, f"{url}#edition-{edition.number}"
