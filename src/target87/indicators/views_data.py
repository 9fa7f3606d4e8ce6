"""The observation store's pages: the catalogue, importing a file as a vintage, a vintage, two vintages compared,
and downloads of today's data and of a vintage.

The catalogue and the downloads of published data are public; importing and the vintages are for statisticians.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import page_of

from . import data, exports, imports
from .enums import VintageKind
from .forms import CompareForm, ImportForm
from .models import Series, Vintage

#: observations shown on a page of a vintage (an imported file may hold tens of thousands; the downloads hold all)
OBSERVATIONS_PER_PAGE = 200


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_GET
def catalogue(request):
    return render(
        request,
        "indicators/catalogue.html",
        {"series": Series.objects.all(), "exporters": exports.observation_exporters},
    )


@login_required
@require_http_methods(["GET", "POST"])
def vintages(request):
    _require(request, "indicators.view_observations")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require(request, "indicators.import")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                vintage = imports.vintage_import(
                    actor=request.user,
                    name=upload.name,
                    data=upload.read(imports.MAX_IMPORT_BYTES + 1),
                    kind=form.cleaned_data["kind"],
                    label=form.cleaned_data["label"],
                    series=form.cleaned_data["series"],
                    ref_area=form.cleaned_data["ref_area"],
                    published=form.cleaned_data["published"],
                )
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, imports.import_summary(vintage, vintage.observations.count()))
                return redirect(vintage)
    listing = data.vintages_visible(request.user)
    return render(
        request,
        "indicators/vintages.html",
        {"form": form, "vintages": listing, "compare": CompareForm(vintages=listing)},
    )


def _vintage(request, uuid) -> Vintage:
    vintage = get_object_or_404(Vintage, uuid=uuid)
    if not vintage.published and not data.may_see_unpublished(request.user):
        raise Http404
    return vintage


@require_GET
def vintage(request, uuid):
    vintage = _vintage(request, uuid)
    return render(
        request,
        "indicators/vintage.html",
        {
            "vintage": vintage,
            "observations": page_of(request, data.vintage_observations(vintage), OBSERVATIONS_PER_PAGE),
            "exporters": exports.observation_exporters,
            "may_publish": request.user.has_perm("indicators.import"),
            "is_estimation": vintage.kind == VintageKind.ESTIMATION,
        },
    )


@login_required
@require_POST
def vintage_publish(request, uuid):
    vintage = get_object_or_404(Vintage, uuid=uuid)
    published = request.POST.get("published") == "1"
    imports.vintage_publish(actor=request.user, vintage=vintage, published=published)
    if published:
        messages.success(request, _("This vintage is now shown on the dashboards."))
    else:
        messages.success(request, _("This vintage is no longer shown on the dashboards."))
    return redirect(vintage)


@require_GET
def vintage_download(request, uuid, exporter):
    vintage = _vintage(request, uuid)
    exporter_class = exports.observation_exporters.get(exporter)
    stem = f"target87-{vintage.created_at:%Y%m%d-%H%M}-{vintage.uuid.hex[:8]}"
    try:
        return core_exporters.response(exporter_class(list(data.vintage_observations(vintage)), stem))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(vintage)


@require_GET
def download_current(request, exporter):
    """Today's observations: the published ones, and for statisticians all of them."""
    exporter_class = exports.observation_exporters.get(exporter)
    try:
        return core_exporters.response(exporter_class(data.current(user=request.user), "target87-indicators"))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("indicators:catalogue")


@login_required
@require_GET
def vintage_compare(request):
    _require(request, "indicators.view_observations")
    listing = data.vintages_visible(request.user)
    form = CompareForm(request.GET or None, vintages=listing)
    changes = None
    if form.is_valid():
        changes = data.vintage_diff(form.cleaned_data["before"], form.cleaned_data["after"])
    counts = {}
    for change in changes or []:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    return render(request, "indicators/compare.html", {"form": form, "changes": changes, "counts": counts})
