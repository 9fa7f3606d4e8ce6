from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from .models import Job


def job_detail(request, pk):
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id and job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})
