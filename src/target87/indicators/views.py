"""The statistician's pages: upload a survey file, confirm its columns, estimate, read, download, store.

Thin: load, check, call a service, respond. Bad input is shown on the page; nothing is stored then.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.core import countries
from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error

from . import exporters, samples, selectors, services, uploads, validation
from .columns import codes_to_ask
from .enums import CI_METHOD_LABELS, LONELY_PSU_LABELS, EstimationStatus
from .forms import EstimationForm, StoreForm, UploadForm, initial_for
from .models import Series
from .sdmx import code_rows


def _require_statistician(request) -> None:
    if not request.user.has_perm("indicators.estimate"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _require_statistician(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            estimation = services.estimation_upload(actor=request.user, upload=form.cleaned_data["file"])
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            return redirect("indicators:configure", uuid=estimation.uuid)
    return render(
        request,
        "indicators/upload.html",
        {
            "form": form,
            "estimations": selectors.estimation_list(user=request.user),
            "background_size": uploads.size_text(uploads.background_bytes()),
        },
    )


@login_required
@require_GET
def example_survey(request):
    _require_statistician(request)
    response = HttpResponse(samples.example_survey_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="example-child-survey.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def configure(request, uuid):
    estimation = selectors.estimation_get(uuid=uuid, user=request.user)
    if estimation.status == EstimationStatus.RUNNING and estimation.job_id:
        return redirect(estimation.job.get_absolute_url())
    form_kwargs = {"columns": estimation.columns, "proposed": estimation.mapping}
    if request.method == "POST":
        form = EstimationForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                options = form.options()
                if form.cleaned_data.get("definition_file"):
                    options["definition_toml"] = validation.read_definition_file(form.cleaned_data["definition_file"])
                outcome = services.estimation_run(
                    actor=request.user,
                    estimation=estimation,
                    mapping=form.mapping(),
                    definition=form.cleaned_data["definition"],
                    options=options,
                )
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                if outcome.job is not None:
                    return redirect(outcome.job.get_absolute_url())
                return redirect("indicators:result", uuid=estimation.uuid)
    else:
        form = EstimationForm(initial=initial_for(estimation), **form_kwargs)
    return render(
        request,
        "indicators/configure.html",
        {"estimation": estimation, "form": form, "ask_codes": _ask_codes(estimation, form)},
    )


def _ask_codes(estimation, form) -> bool:
    """Whether the page opens the questions on sex and area codes: a column of bare numbers, or codes given."""
    mapping = form.data if form.is_bound else estimation.mapping
    fields = form.coding_fields
    if any(field.errors or field.value() for field in fields):
        return True
    return any(codes_to_ask(estimation.columns, mapping.get(v) or "", v) is not None for v in ("sex", "area"))


@login_required
@require_POST
def delete(request, uuid):
    estimation = selectors.estimation_get(uuid=uuid, user=request.user)
    try:
        services.estimation_delete(actor=request.user, estimation=estimation)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("indicators:configure", uuid=estimation.uuid)
    messages.success(request, _("The file %(name)s has been deleted.") % {"name": estimation.file_name})
    return redirect("indicators:upload")


@login_required
@require_GET
def result(request, uuid):
    estimation = selectors.estimation_get(uuid=uuid, user=request.user)
    if estimation.status != EstimationStatus.DONE or not estimation.result:
        return redirect("indicators:configure", uuid=estimation.uuid)
    return render(request, "indicators/result.html", _result_context(estimation))


def _result_context(estimation, store_form=None):
    res = estimation.result
    tables = selectors.result_tables(res)
    options = estimation.options
    if store_form is None:
        store_form = StoreForm(
            initial={
                "ref_area": options.get("ref_area") or "",
                "year": options.get("year"),
                "source": options.get("source") or estimation.file_name,
                "nature": options.get("nature") or "C",
            }
        )
    definition = {**res["definition"], "note": validation.without_options(res["definition"].get("note") or "")}
    return {
        "estimation": estimation,
        "result": res,
        "definition": definition,
        "tables": tables,
        "chart": selectors.result_chart(tables, float(options.get("level", 0.95))),
        "level_percent": round(100 * float(options.get("level", 0.95))),
        "store_form": store_form,
        "storable": bool(definition.get("series")) and definition.get("comparable"),
        "exporters": exporters.estimate_exporters,
        "country": countries.name(options["ref_area"]) if options.get("ref_area") else "",
        # the options as the configure page words them, not as the command's values ("fail", "logit")
        "ci_method_label": CI_METHOD_LABELS.get(options.get("ci_method"), options.get("ci_method")),
        "lonely_psu_label": LONELY_PSU_LABELS.get(options.get("lonely_psu"), options.get("lonely_psu")),
    }


@login_required
@require_GET
def download(request, uuid, exporter):
    estimation = selectors.estimation_get(uuid=uuid, user=request.user)
    if estimation.status != EstimationStatus.DONE or exporter not in exporters.estimate_exporters:
        return redirect("indicators:configure", uuid=estimation.uuid)
    try:
        return core_exporters.response(exporters.get(exporter)(estimation))
    except ServiceError as error:
        text = " ".join(error.messages)
        if _uncoded(estimation):  # categories the SDG code lists do not know: the page can name them
            text += " " + _(
                "Or, when the column holds codes, say which code means what under “Sex and area coded as "
                "numbers” on the page of the columns, and estimate again."
            )
        messages.error(request, text)
        return redirect("indicators:result", uuid=estimation.uuid)


def _uncoded(estimation) -> bool:
    try:
        code_rows(estimation.result)
    except ServiceError:
        return True
    return False


@login_required
@require_POST
def store(request, uuid):
    estimation = selectors.estimation_get(uuid=uuid, user=request.user)
    if estimation.status != EstimationStatus.DONE:
        return redirect("indicators:configure", uuid=estimation.uuid)
    form = StoreForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.observations_store(actor=request.user, estimation=estimation, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            text = ngettext(
                "Stored %(stored)d observation of %(series)s as a new vintage. It is not on the dashboards until "
                "you show it there.",
                "Stored %(stored)d observations of %(series)s as a new vintage. It is not on the dashboards until "
                "you show it there.",
                outcome.stored,
            )
            if outcome.replaced:
                text += " " + _("The earlier vintages from the same source are kept; this one is now the current.")
            messages.success(request, text % {"stored": outcome.stored, "series": outcome.series.code})
            return redirect(outcome.vintage)
    estimation.refresh_from_db()
    return render(request, "indicators/result.html", _result_context(estimation, store_form=form))


@login_required
@require_GET
def observation_index(request):
    if not request.user.has_perm("indicators.view_observations"):
        raise PermissionDenied
    return render(request, "indicators/observation_index.html", {"summary": selectors.observation_summary()})


@login_required
@require_GET
def observations(request, code, ref_area):
    if not request.user.has_perm("indicators.view_observations"):
        raise PermissionDenied
    series = get_object_or_404(Series, code=code)
    ref_area = ref_area.upper()
    rows = selectors.observation_list(series=series, ref_area=ref_area)
    return render(
        request,
        "indicators/observations.html",
        {"series": series, "ref_area": ref_area, "country": countries.name(ref_area), "observations": rows},
    )
