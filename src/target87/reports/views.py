"""The outcome report on the web: the convener's report page (channels, editions, building, publishing,
comparing), the routing of recommendations to channels, the public report and the downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import see_other
from target87.jobs import services as jobs

from . import followup, rendering, selectors, services
from . import jobs as report_jobs
from .enums import EditionKind
from .forms import BuildForm, ChannelForm, KeyMessageChangeForm, KeyMessageForm
from .models import Channel


def _written(request, slug):
    """The consultation whose report the user writes (its rapporteurs and conveners), or 403."""
    return consultation_selectors.consultation_get_managed(slug=slug, user=request.user, perm="reports.write")


def _managed(request, slug):
    """The consultation whose report channels the user sets (its conveners), or 403."""
    return consultation_selectors.consultation_get_managed(slug=slug, user=request.user, perm="reports.manage")


def _manage_url(slug: str) -> str:
    return reverse("reports:manage", kwargs={"slug": slug})


def _manage_context(consultation, *, changed: dict | None = None, **given) -> dict:
    """The report page's context; ``changed``: key message id → its form as posted, shown again with its errors."""
    changed = changed or {}
    channels = list(selectors.channel_list(consultation=consultation))
    context = {
        "consultation": consultation,
        "channels": channels,
        "channel_form": ChannelForm(),
        "build_form": BuildForm(channels=channels, currencies=followup.currencies()),
        "editions": list(selectors.edition_list(consultation=consultation)),
        "formats": list(rendering.registry),
        "board": [
            {
                **row,
                "forms": [changed.get(m.pk) or KeyMessageChangeForm(message=m) for m in row["messages"]],
            }
            for row in selectors.key_message_board(consultation=consultation)
        ],
        "message_max": services.KEY_MESSAGES_MAX,
    }
    context.update(given)
    return context


@login_required
@require_GET
def manage(request, slug):
    consultation = _written(request, slug)
    return render(request, "reports/manage.html", _manage_context(consultation))


@login_required
@require_POST
def channel_add(request, slug):
    consultation = _managed(request, slug)
    form = ChannelForm(request.POST)
    if form.is_valid():
        try:
            services.channel_save(actor=request.user, consultation=consultation, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Channel added."))
            return see_other(_manage_url(slug))
    return render(request, "reports/manage.html", _manage_context(consultation, channel_form=form), status=400)


@login_required
@require_POST
def channels_usual(request, slug):
    consultation = _managed(request, slug)
    try:
        made = services.channels_add_usual(actor=request.user, consultation=consultation)
    except ServiceError as error:  # a country of the sub-region that is not one: nothing was added
        messages.error(request, " ".join(error.messages))
    else:
        count = len(made)
        messages.success(
            request, ngettext("%(count)s channel added.", "%(count)s channels added.", count) % {"count": count}
        )
    return see_other(_manage_url(slug))


@login_required
@require_POST
def channel_delete(request, slug, pk):
    consultation = _managed(request, slug)
    channel = Channel.objects.filter(consultation=consultation, pk=pk).first()
    if channel is None:
        raise Http404
    services.channel_delete(actor=request.user, channel=channel)
    messages.success(request, _("Channel removed; its editions stay."))
    return see_other(_manage_url(slug))


@login_required
@require_http_methods(["GET", "POST"])
def routes(request, slug):
    consultation = _written(request, slug)
    grid = selectors.routing(consultation=consultation)
    if request.method == "POST":
        pairs = []
        for value in request.POST.getlist("route"):
            rec, _sep, chan = value.partition("-")
            if rec.isdecimal() and chan.isdecimal():
                pairs.append((int(rec), int(chan)))
        try:
            changed = services.routes_replace(actor=request.user, consultation=consultation, pairs=pairs)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Routing saved: %(added)s added, %(removed)s removed.") % changed)
        return see_other(reverse("reports:routes", kwargs={"slug": slug}))
    rows = [
        {"rec": rec, "cells": [(ch, (rec.pk, ch.pk) in grid["routed"]) for ch in grid["channels"]]}
        for rec in grid["recommendations"]
    ]
    return render(
        request, "reports/routes.html", {"consultation": consultation, "channels": grid["channels"], "rows": rows}
    )


@login_required
@require_POST
def build(request, slug):
    consultation = _written(request, slug)
    channels = list(selectors.channel_list(consultation=consultation))
    form = BuildForm(request.POST, channels=channels, currencies=followup.currencies())
    if not form.is_valid():
        messages.error(request, _("Choose an edition, a channel, a language and a currency from the lists."))
        return see_other(_manage_url(slug))
    channel = next((c for c in channels if str(c.pk) == form.cleaned_data["channel"]), None)
    try:
        kind, currency = services.edition_kind(
            form.cleaned_data["edition"] or EditionKind.OUTCOME, form.cleaned_data["currency"]
        )
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return see_other(_manage_url(slug))
    title = (
        _("Follow-up edition of the outcome report of %(consultation)s")
        if kind == EditionKind.FOLLOWUP
        else _("Outcome report of %(consultation)s")
    )
    job = jobs.job_start(
        kind=report_jobs.KIND,
        title=title % {"consultation": consultation.title},
        params={
            "consultation": consultation.pk,
            "channel": channel.pk if channel else None,
            "language": form.cleaned_data["language"],
            "kind": kind,
            "currency": currency,
        },
        actor=request.user,
        consultation=consultation,
    )
    return see_other(job.get_absolute_url())


@login_required
@require_POST
def publish(request, slug, number):
    consultation = _written(request, slug)
    edition = selectors.edition_get(consultation=consultation, number=number)
    if request.POST.get("action") == "unpublish":
        services.edition_unpublish(actor=request.user, edition=edition)
        messages.success(request, _("Edition %(number)s is no longer public.") % {"number": number})
    else:
        services.edition_publish(actor=request.user, edition=edition)
        messages.success(request, _("Edition %(number)s is published.") % {"number": number})
    return see_other(_manage_url(slug))


@login_required
@require_GET
def compare(request, slug):
    consultation = _written(request, slug)
    numbers = sorted(int(v) for v in (request.GET.get("a", ""), request.GET.get("b", "")) if v.isdecimal())
    if len(numbers) != 2 or numbers[0] == numbers[1]:
        messages.error(request, _("Choose two different editions to compare."))
        return redirect(_manage_url(slug))
    older = selectors.edition_get(consultation=consultation, number=numbers[0])
    newer = selectors.edition_get(consultation=consultation, number=numbers[1])
    diff = selectors.edition_compare(older=older, newer=newer)
    return render(request, "reports/compare.html", {"consultation": consultation, **diff})


def _may_read(request, edition) -> bool:
    return edition.is_published or request.user.has_perm("reports.write", edition.consultation)


@require_GET
def download(request, slug, number, fmt):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    edition = selectors.edition_get(consultation=consultation, number=number)
    if not _may_read(request, edition):
        raise PermissionDenied
    if fmt not in rendering.registry:
        raise Http404
    exporter = rendering.registry.get(fmt)
    path = selectors.edition_file(edition, fmt)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    response["Content-Type"] = exporter.content_type
    return response


@require_GET
def public(request, slug, channel="", kind=EditionKind.OUTCOME):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    chosen = None
    if channel:
        chosen = selectors.channel_find(consultation=consultation, slug=channel)
        if chosen is None:
            raise Http404
    edition = selectors.edition_public(consultation=consultation, channel=chosen, kind=kind)
    other = EditionKind.OUTCOME if kind == EditionKind.FOLLOWUP else EditionKind.FOLLOWUP
    body = ""
    if edition is not None:
        page = selectors.edition_page(edition)
        body = page.read_text(encoding="utf-8") if page else ""
    return render(
        request,
        "reports/public.html",
        {
            "consultation": consultation,
            "edition": edition,
            "kind": kind,
            "other": selectors.edition_public(consultation=consultation, channel=chosen, kind=other),
            "body": body,
            "formats": list(rendering.registry),
            "channels": selectors.channel_list(consultation=consultation)
            .filter(editions__published_at__isnull=False, editions__kind=kind)
            .distinct(),
        },
    )


# --- key messages --------------------------------------------------------------------------------------------


@login_required
@require_POST
def key_message_add(request, slug, position):
    consultation = _written(request, slug)
    question = consultation.key_questions.filter(position=position).first()
    if question is None:
        raise Http404
    form = KeyMessageForm(request.POST)
    if form.is_valid():
        try:
            services.key_message_add(
                actor=request.user, consultation=consultation, key_question=question, text=form.cleaned_data["text"]
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Key message added."))
            return see_other(f"{_manage_url(slug)}#key-messages-q{position}")
    context = _manage_context(consultation, failed_form=form, failed_question=question.pk)
    return render(request, "reports/manage.html", context, status=400)


@login_required
@require_POST
def key_message_change(request, slug, pk):
    consultation = _written(request, slug)
    message = selectors.key_message_get(consultation=consultation, pk=pk)
    anchor = f"{_manage_url(slug)}#key-messages-q{message.key_question.position}"
    action = request.POST.get("action", "save")
    if action in ("up", "down", "delete"):
        try:
            if action == "delete":
                services.key_message_delete(actor=request.user, message=message)
                messages.success(request, _("Key message removed."))
            else:
                services.key_message_move(actor=request.user, message=message, direction=action)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        return see_other(anchor)
    form = KeyMessageChangeForm(request.POST, message=message)
    # the fields are optional text: the form refuses only a character no text may hold (NUL); the service says
    # what is wrong with what is written (empty, too long), under the field it is in
    if form.is_valid():
        try:
            services.key_message_update(
                actor=request.user,
                message=message,
                text=form.cleaned_data["text"],
                translations=form.translated_texts(),
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Key message saved."))
            return see_other(anchor)
    # shown again as typed, with what is wrong, so that nothing written is lost
    context = _manage_context(consultation, changed={message.pk: form})
    return render(request, "reports/manage.html", context, status=400)


@login_required
@require_GET
def preview(request, slug):
    """The report as it would be built now, for the rapporteur: not kept, and saying what is not written yet;
    ``?edition=followup``: the follow-up edition (money in dollars)."""
    consultation = _written(request, slug)
    kind = EditionKind.FOLLOWUP if request.GET.get("edition") == EditionKind.FOLLOWUP else EditionKind.OUTCOME
    contents = followup.contents_for(consultation=consultation, kind=kind)
    return render(
        request,
        "reports/preview.html",
        {"consultation": consultation, **rendering.body_context(contents, []), "preview": True, "kind": kind},
    )
