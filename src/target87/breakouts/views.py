"""The convener's breakout page and the facilitators' group lists. Thin: load, check, call, respond."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Session
from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.people.access import participant_held
from target87.people.models import Participation

from . import exporters, selectors, services
from .enums import BACKGROUND_PEOPLE
from .forms import AllocateForm, LanguageForm, MoveForm, PairForm
from .models import BreakoutGroup, BreakoutPair
from .templatetags.breakouts import language_label, percent


def _managed_session(request, slug, pk):
    consultation = consultation_selectors.consultation_get_managed(slug=slug, user=request.user)
    session = get_object_or_404(Session.objects.select_related("room"), consultation=consultation, pk=pk)
    if session.kind != "breakout":
        raise Http404
    return consultation, session


def _current_group(allocation, number):
    if allocation is None or allocation.current_run_id is None:
        raise Http404
    return get_object_or_404(BreakoutGroup, run_id=allocation.current_run_id, number=number)


#: above this many groups, a person is moved by typing the group's number
MANY_GROUPS = 12


def _language_choices(consultation) -> list[tuple[str, str]]:
    return [(code, language_label(code)) for code in selectors.languages_spoken(consultation=consultation)]


def _context(request, consultation, session, *, form=None, move_error="", allocation=None, pair_form=None):
    allocation = allocation or selectors.allocation_for_session(session=session)
    slot = selectors.slot_sessions(session=session)
    single = len(slot) == 1
    board = selectors.board(allocation=allocation) if allocation and allocation.current_run_id else None
    if form is None:
        initial = {"seed": 0, "time_limit": int(services.TIME_LIMIT_WAITING)}
        if board and single:
            initial["group_count"] = len(board.cards)
        form = AllocateForm(initial=initial, single_session=single)
    placed = selectors.people_to_place(consultation=consultation)
    return {
        "consultation": consultation,
        "session": session,
        "runs": selectors.runs_of(allocation=allocation) if allocation else [],
        "pairs": selectors.pairs_of(consultation=consultation),
        "pair_form": pair_form or PairForm(people=placed),
        "group_languages": (languages := _language_choices(consultation)),
        "language_codes": [code for code, _label in languages],
        "anchor": allocation.session if allocation else slot[0],
        "slot": slot,
        "single": single,
        "allocation": allocation,
        "board": board,
        "form": form,
        "move_error": move_error,
        "background_people": BACKGROUND_PEOPLE,
        # with many groups a number field replaces the list of groups in every person's move form
        "many_groups": bool(board and len(board.cards) > MANY_GROUPS),
    }


def _board_response(request, context):
    return render(request, "breakouts/_board.html", context)


@login_required
@require_GET
def slots(request, slug):
    consultation = consultation_selectors.consultation_get_managed(slug=slug, user=request.user)
    return render(
        request,
        "breakouts/slots.html",
        {"consultation": consultation, "slots": selectors.breakout_slots(consultation=consultation)},
    )


@login_required
@require_GET
def manage(request, slug, pk):
    consultation, session = _managed_session(request, slug, pk)
    return render(request, "breakouts/manage.html", _context(request, consultation, session))


@login_required
@require_POST
def allocate(request, slug, pk):
    consultation, session = _managed_session(request, slug, pk)
    single = len(selectors.slot_sessions(session=session)) == 1
    form = AllocateForm(request.POST, single_session=single)
    if form.is_valid():
        try:
            outcome = services.allocation_run(
                actor=request.user,
                session=session,
                seed=form.cleaned_data["seed"],
                time_limit=float(form.cleaned_data["time_limit"]),
                group_count=form.cleaned_data.get("group_count"),
                background=True if form.cleaned_data["background"] else None,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            if outcome.job is not None:
                return redirect(outcome.job.get_absolute_url())
            run = outcome.run
            messages.success(
                request,
                _("Allocated %(people)d people (run %(number)d): %(status)s, gap %(gap)s %%.")
                % {
                    "people": run.assignments.count(),
                    "number": run.number,
                    "status": run.get_solver_status_display().lower(),
                    "gap": percent(run.gap),
                },
            )
            return redirect("breakouts:manage", slug=slug, pk=pk)
    return render(request, "breakouts/manage.html", _context(request, consultation, session, form=form), status=200)


@login_required
@require_POST
def move(request, slug, pk):
    consultation, session = _managed_session(request, slug, pk)
    allocation = selectors.allocation_for_session(session=session)
    if allocation is None:
        raise Http404
    form = MoveForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose a person and a group.")
    else:
        participation = get_object_or_404(
            Participation.objects.select_related("person"),
            consultation=consultation,
            pk=form.cleaned_data["participation"],
        )
        group = BreakoutGroup.objects.filter(
            run_id=allocation.current_run_id, number=form.cleaned_data["group"]
        ).first()
        try:
            if group is None:
                raise ServiceError(_("There is no group %(number)d.") % {"number": form.cleaned_data["group"]})
            services.assignment_move(
                actor=request.user, allocation=allocation, participation=participation, group=group
            )
        except ServiceError as failure:
            error = " ".join(failure.messages)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("%(name)s moved to group %(number)d.")
                    % {"name": participation.person.name, "number": group.number},
                )
    if request.htmx:
        allocation.refresh_from_db()
        return _board_response(
            request, _context(request, consultation, session, move_error=error, allocation=allocation)
        )
    if error:
        messages.error(request, error)
    return redirect("breakouts:manage", slug=slug, pk=pk)


@login_required
@require_POST
def lock(request, slug, pk, number):
    consultation, session = _managed_session(request, slug, pk)
    allocation = selectors.allocation_for_session(session=session)
    group = _current_group(allocation, number)
    error = ""
    try:
        services.group_lock(actor=request.user, group=group, locked=request.POST.get("locked") == "1")
    except ServiceError as failure:
        error = " ".join(failure.messages)
    if request.htmx:
        allocation.refresh_from_db()
        return _board_response(
            request, _context(request, consultation, session, move_error=error, allocation=allocation)
        )
    if error:
        messages.error(request, error)
    return redirect("breakouts:manage", slug=slug, pk=pk)


@login_required
@require_POST
def facilitator(request, slug, pk, number):
    consultation, session = _managed_session(request, slug, pk)
    allocation = selectors.allocation_for_session(session=session)
    group = _current_group(allocation, number)
    chosen = request.POST.get("facilitator") or ""
    participation = (
        get_object_or_404(Participation.objects.select_related("person"), consultation=consultation, pk=chosen)
        if chosen.isdecimal()
        else None
    )
    error = ""
    try:
        services.group_facilitator_set(actor=request.user, group=group, participation=participation)
    except ServiceError as failure:
        error = " ".join(failure.messages)
    if request.htmx:
        allocation.refresh_from_db()
        return _board_response(
            request, _context(request, consultation, session, move_error=error, allocation=allocation)
        )
    if error:
        messages.error(request, error)
    return redirect("breakouts:manage", slug=slug, pk=pk)


def _board_or_redirect(request, consultation, session, allocation, error, success=""):
    if request.htmx:
        allocation.refresh_from_db()
        return _board_response(
            request, _context(request, consultation, session, move_error=error, allocation=allocation)
        )
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect("breakouts:manage", slug=consultation.slug, pk=session.pk)


@login_required
@require_POST
def language(request, slug, pk, number):
    consultation, session = _managed_session(request, slug, pk)
    allocation = selectors.allocation_for_session(session=session)
    group = _current_group(allocation, number)
    form = LanguageForm(request.POST)
    error = success = ""
    if not form.is_valid():
        error = " ".join(m for ms in form.errors.values() for m in ms)
    else:
        try:
            strangers = services.group_language_set(
                actor=request.user, group=group, language=form.cleaned_data["language"]
            )
        except ServiceError as failure:
            error = " ".join(failure.messages)
        else:
            success = _("Group %(number)d works in %(language)s.") % {
                "number": group.number,
                "language": language_label(form.cleaned_data["language"]) or _("any language"),
            }
            if strangers:
                error = _("%(names)s do not speak it: allocate again to move them, or move them by hand.") % {
                    "names": ", ".join(p.person.name for p in strangers)
                }
                if not request.htmx:
                    messages.success(request, success)
    return _board_or_redirect(request, consultation, session, allocation, error, success)


@login_required
@require_POST
def pair_add(request, slug, pk):
    consultation, session = _managed_session(request, slug, pk)
    placed = selectors.people_to_place(consultation=consultation)
    form = PairForm(request.POST, people=placed)
    if form.is_valid():
        by_pk = {p.pk: p for p in placed}
        try:
            services.pair_add(
                actor=request.user,
                consultation=consultation,
                first=by_pk[int(form.cleaned_data["first"])],
                second=by_pk[int(form.cleaned_data["second"])],
                kind=form.cleaned_data["kind"],
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Saved. The next allocation of every slot follows this pair."))
            return redirect(f"{reverse('breakouts:manage', kwargs={'slug': slug, 'pk': pk})}#pairs-heading")
    return render(
        request, "breakouts/manage.html", _context(request, consultation, session, pair_form=form), status=200
    )


@login_required
@require_POST
def pair_remove(request, slug, pk, pair):
    consultation, _session = _managed_session(request, slug, pk)
    found = get_object_or_404(BreakoutPair, consultation=consultation, pk=pair)
    services.pair_remove(actor=request.user, pair=found)
    messages.success(request, _("Pair removed."))
    return redirect(f"{reverse('breakouts:manage', kwargs={'slug': slug, 'pk': pk})}#pairs-heading")


@login_required
@require_POST
def publish(request, slug, pk):
    _consultation, session = _managed_session(request, slug, pk)
    allocation = selectors.allocation_for_session(session=session)
    if allocation is None:
        raise Http404
    try:
        services.allocation_publish(actor=request.user, allocation=allocation)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published: participants see their group and room in their agenda."))
    return redirect("breakouts:manage", slug=slug, pk=pk)


# --- facilitators -----------------------------------------------------------------------------------------


def _lists(request, slug, pk):
    consultation = consultation_selectors.Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise Http404
    session = get_object_or_404(Session, consultation=consultation, pk=pk, kind="breakout")
    allocation = selectors.allocation_for_session(session=session)
    if allocation is None:
        raise Http404
    run, groups = selectors.groups_for_viewer(
        allocation=allocation, user=request.user, link_participation_id=getattr(participant_held(request), "pk", None)
    )
    if run is None:
        raise Http404
    if not groups:
        raise PermissionDenied
    return consultation, session, allocation, run, groups


@require_GET
def group_lists(request, slug, pk):
    consultation, _session, allocation, run, groups = _lists(request, slug, pk)
    members = selectors.group_members(run=run, groups=groups)
    return render(
        request,
        "breakouts/groups.html",
        {
            "consultation": consultation,
            "session": allocation.session,
            "allocation": allocation,
            "run": run,
            "groups": [(g, members[g.pk]) for g in groups],
            "draft": run.pk != allocation.published_run_id,
        },
    )


@require_GET
def group_lists_csv(request, slug, pk):
    consultation, _session, allocation, run, groups = _lists(request, slug, pk)
    members = selectors.group_members(run=run, groups=groups)
    exporter = exporters.GroupListsCSV(consultation, session=allocation.session, groups=groups, members=members)
    return core_exporters.response(exporter)
