"""Keeping actions up to date (focal points, representatives, conveners) and managing the follow-through
(conveners: focal points, good practices, imports; staff: exchange rates). Every page checks the permission on
the object through the services; a refusal is a 403 page, bad input a message on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Consultation
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import see_other

from . import csvio, selectors, services
from .forms import ActionForm, FocalPointForm, GoodPracticeForm, ImportForm, MoneyForm, ProgressForm, RateForm
from .models import ExchangeRate, FocalPoint, GoodPractice, MoneyLine

IMPORT_SALT = "target87.commitments.import"
#: the largest CSV file the web import takes (the preview carries it, signed, until it is confirmed)
IMPORT_MAX_BYTES = 2 * 1024 * 1024
OUT_OF_REACH = gettext_lazy(
    "You keep the actions of your country or of the organisations you represent: choose that country, or your "
    "organisation as a lead."
)


def _consultation(slug) -> Consultation:
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise Http404
    return consultation


def _editable(request, slug, pk):
    consultation = _consultation(slug)
    action = selectors.action_get(consultation=consultation, pk=pk)
    if not request.user.has_perm("commitments.change_action", action):
        raise PermissionDenied
    return consultation, action


@login_required
def my_actions(request, slug):
    consultation = _consultation(slug)
    if not request.user.has_perm("commitments.add_action", consultation):
        raise PermissionDenied
    return render(
        request,
        "commitments/manage/actions.html",
        {
            "consultation": consultation,
            "actions": selectors.actions_for_user(consultation=consultation, user=request.user),
            "roles": FocalPoint.objects.filter(consultation=consultation, user=request.user).select_related(
                "organisation"
            ),
            "can_manage": request.user.has_perm("commitments.manage", consultation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, slug, pk=None):
    consultation = _consultation(slug)
    action = None
    if pk is None:
        if not request.user.has_perm("commitments.add_action", consultation):
            raise PermissionDenied
    else:
        consultation, action = _editable(request, slug, pk)
    initial = ActionForm.initial_for(action) if action else {}
    form = ActionForm(request.POST or None, consultation=consultation, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.service_data()
            note = data.pop("note", "")
            try:
                if action is None:
                    action = services.action_create(actor=request.user, consultation=consultation, note=note, **data)
                else:
                    services.action_update(actor=request.user, action=action, note=note, **data)
            except ServiceError as error:
                apply_service_error(form, error)
            except PermissionDenied:
                form.add_error(None, OUT_OF_REACH)
                status = 403
            else:
                messages.success(request, _("The action is saved; its history shows the change."))
                return see_other(action.get_absolute_url())
        status = status if status == 403 else 400
    return render(
        request,
        "commitments/manage/action_form.html",
        {"consultation": consultation, "action": action, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_progress(request, slug, pk):
    consultation, action = _editable(request, slug, pk)
    initial = {"status": action.status, "progress": action.progress, "due_date": action.due_date}
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial)
    money = MoneyForm(prefix="money")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("status", "progress", "due_date")}
            try:
                services.action_update(
                    actor=request.user, action=action, note=form.cleaned_data["note"], evidence=form.evidence(), **data
                )
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The update is recorded."))
                return see_other(action.get_absolute_url())
        status = 400
    return render(
        request,
        "commitments/manage/progress.html",
        {"consultation": consultation, "action": action, "form": form, "money": money, "lines": action.money.all()},
        status=status,
    )


@login_required
@require_POST
def money_add(request, slug, pk):
    consultation, action = _editable(request, slug, pk)
    form = MoneyForm(request.POST, prefix="money")
    if form.is_valid():
        try:
            services.money_add(actor=request.user, action=action, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The amount is recorded."))
            return see_other(reverse("commitments:update", kwargs={"slug": slug, "pk": pk}))
    return render(
        request,
        "commitments/manage/progress.html",
        {
            "consultation": consultation,
            "action": action,
            "form": ProgressForm(initial={"status": action.status, "progress": action.progress}),
            "money": form,
            "lines": action.money.all(),
        },
        status=400,
    )


@login_required
@require_POST
def money_remove(request, slug, pk, line):
    action = _editable(request, slug, pk)[1]
    row = MoneyLine.objects.filter(action=action, pk=line).first()
    if row is None:
        raise Http404
    services.money_remove(actor=request.user, line=row)
    messages.success(request, _("The amount is taken back; the history keeps it."))
    return see_other(reverse("commitments:update", kwargs={"slug": slug, "pk": pk}))


@login_required
@require_http_methods(["GET", "POST"])
def focal_points(request, slug):
    consultation = consultation_selectors.consultation_get_managed(
        slug=slug, user=request.user, perm="commitments.manage"
    )
    form = FocalPointForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            wanted = request.POST["remove"]
            valid = wanted.isascii() and wanted.isdecimal() and len(wanted) < 10
            row = FocalPoint.objects.filter(consultation=consultation, pk=int(wanted)).first() if valid else None
            if row is not None:
                services.focal_point_remove(actor=request.user, focal_point=row)
            return see_other(request.path)
        if form.is_valid():
            try:
                services.focal_point_add(
                    actor=request.user,
                    consultation=consultation,
                    user=form.cleaned_data["username"],
                    country=form.cleaned_data["country"],
                    organisation=form.cleaned_data["organisation"],
                )
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                return see_other(request.path)
        status = 400
    rows = FocalPoint.objects.filter(consultation=consultation).select_related("user", "organisation")
    return render(
        request,
        "commitments/manage/focal_points.html",
        {"consultation": consultation, "form": form, "rows": rows},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request, slug, pk=None):
    consultation = consultation_selectors.consultation_get_managed(
        slug=slug, user=request.user, perm="commitments.manage"
    )
    practice = GoodPractice.objects.filter(consultation=consultation, pk=pk).first() if pk else None
    if pk and practice is None:
        raise Http404
    initial = {}
    if practice:
        initial = {
            f: getattr(practice, f) for f in ("title", "description", "country", "thematic_area", "evidence")
        } | {"organisations": list(practice.organisations.all()), "contributions": list(practice.contributions.all())}
    form = GoodPracticeForm(request.POST or None, consultation=consultation, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.good_practice_save(
                    actor=request.user, consultation=consultation, practice=practice, **form.cleaned_data
                )
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                return see_other(reverse("commitments:practices", kwargs={"slug": slug}))
        status = 400
    return render(
        request,
        "commitments/manage/practice_form.html",
        {"consultation": consultation, "form": form, "practice": practice},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_actions(request, slug):
    """Upload → preview (every row checked, nothing stored) → confirm (checked again, then stored at once)."""
    consultation = _consultation(slug)
    if not request.user.has_perm("commitments.add_action", consultation):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"consultation": consultation, "form": form, "columns": csvio.COLUMN_HELP.items()}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            content = signing.loads(request.POST["confirm"], salt=IMPORT_SALT, max_age=3600)
            made = csvio.store(actor=request.user, consultation=consultation, content=content)
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; send the file again."))
        except ServiceError as error:
            context["problems"] = error.messages
        else:
            messages.success(request, _("%(n)s actions imported.") % {"n": len(made)})
            return see_other(reverse("commitments:mine", kwargs={"slug": slug}))
        return render(request, "commitments/manage/import.html", context, status=400)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["file"].size > IMPORT_MAX_BYTES:
        context["problems"] = [_("The file is larger than 2 MB; split it into several files.")]
        return render(request, "commitments/manage/import.html", context, status=400)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            rows, problems = csvio.check(actor=request.user, consultation=consultation, content=content)
        except ServiceError as error:
            context["problems"] = error.messages
            return render(request, "commitments/manage/import.html", context, status=400)
        context.update(rows=rows, problems=problems)
        if not problems:
            context["token"] = signing.dumps(content.decode("utf-8-sig"), salt=IMPORT_SALT, compress=True)
        return render(request, "commitments/manage/import.html", context, status=400 if problems else 200)
    return render(request, "commitments/manage/import.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def rates(request):
    if not request.user.has_perm("commitments.manage_rates"):
        raise PermissionDenied
    form = RateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rate_set(actor=request.user, **form.cleaned_data)
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                return see_other(request.path)
        status = 400
    return render(
        request, "commitments/manage/rates.html", {"form": form, "rows": ExchangeRate.objects.all()}, status=status
    )
