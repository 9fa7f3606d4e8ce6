"""Registration, the participant's own agenda through the access link, and the convener's lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.breakouts.selectors import published_placements
from target87.consultations import exporters
from target87.consultations import selectors as consultation_selectors
from target87.core import countries, ratelimit
from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import see_other

from . import imports, mail, selectors, services
from .access import link_open, participant_required
from .agenda import agenda_notes, now_and_next, personal_sessions
from .enums import Gender, RegistrationStatus, Role, StakeholderGroup
from .forms import ImportForm, RegistrationForm
from .models import ParticipantImport, Participation

# --- public -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    form = RegistrationForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        wait = ratelimit.wait_for(
            f"register:{ratelimit.client_address(request)}", limit=settings.REGISTRATIONS_PER_HOUR, seconds=3600
        )
        if wait:
            form.add_error(
                None,
                _(
                    "Many registrations came from your network in the last hour. Please try again in %(minutes)d minutes."
                )
                % {"minutes": (wait + 59) // 60},
            )
            return render(request, "people/register.html", {"consultation": consultation, "form": form}, status=429)
        try:
            participation = services.registration_request(
                consultation=consultation, languages=[request.LANGUAGE_CODE], **form.cleaned_data
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            if getattr(participation, "repeated", False):
                mail.registered_again_send(participation=participation, base_url=request.build_absolute_uri("/"))
            return see_other(reverse("people:registered", kwargs={"slug": slug}))
    return render(request, "people/register.html", {"consultation": consultation, "form": form})


@require_GET
def registered(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    return render(request, "people/registered.html", {"consultation": consultation})


@require_GET
def agenda(request, token):
    return _agenda_page(request, link_open(request, token), token)


@require_GET
def my_agenda(request, slug):
    """The agenda of the participant this browser holds a pass for (the bar on every participant page links here)."""
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    participant = participant_required(request, "take_part", consultation)
    return _agenda_page(request, participant.participation, services.access_link_token(link_id=participant.link_id))


def _agenda_page(request, participation, token):
    consultation = participation.consultation
    days = consultation_selectors.programme(consultation=consultation)
    for day in days:
        day.sessions = personal_sessions(participation=participation, sessions=day.sessions)
    sessions = [s for day in days for s in day.sessions]
    notes = agenda_notes(participation=participation, sessions=sessions)
    running, upcoming = now_and_next(sessions, timezone.now())
    mine = set(
        participation.person.speaking.filter(session__consultation=consultation).values_list("session_id", flat=True)
    )
    return render(
        request,
        "people/agenda.html",
        {
            "participation": participation,
            "consultation": consultation,
            "days": days,
            "mine": mine,
            "notes": notes,
            "token": token,
            "running": running,
            "upcoming": upcoming,
            "here": "agenda",
        },
    )


@require_GET
def agenda_ics(request, token):
    participation = services.access_link_resolve(token=token).participation  # a calendar keeps no pass
    consultation = participation.consultation
    sessions = personal_sessions(
        participation=participation, sessions=consultation_selectors.session_queryset(consultation)
    )
    notes = agenda_notes(participation=participation, sessions=sessions)
    name = _("%(consultation)s — agenda of %(person)s") % {
        "consultation": consultation.title,
        "person": participation.person.name,
    }
    base_url = request.build_absolute_uri("/")
    return core_exporters.response(
        exporters.get("ical")(
            consultation,
            sessions=sessions,
            base_url=base_url,
            suffix="-agenda",
            calendar_name=name,
            notes={pk: [n.text for n in items if not n.url] for pk, items in notes.items()},
        )
    )


# --- the convener's back office -------------------------------------------------------------------


def _managed(request, slug):
    return consultation_selectors.consultation_get_managed(slug=slug, user=request.user)


@login_required
def participant_list(request, slug):
    consultation = _managed(request, slug)
    status = request.GET.get("status", "")
    rows = selectors.participation_list(
        consultation=consultation,
        status=status if status in RegistrationStatus.values else "",
        query=request.GET.get("q", "").strip(),
    )
    return render(
        request,
        "people/manage_participants.html",
        {
            "consultation": consultation,
            "rows": rows,
            "status": status,
            "statuses": RegistrationStatus.choices,
            "counts": selectors.participation_counts(consultation=consultation),
            "q": request.GET.get("q", ""),
        },
    )


@login_required
@require_POST
def participant_decide(request, slug, pk):
    consultation = _managed(request, slug)
    participation = get_object_or_404(Participation, consultation=consultation, pk=pk)
    try:
        services.participation_decide(
            actor=request.user, participation=participation, status=request.POST.get("status", "")
        )
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("%(name)s: %(status)s.") % {
            "name": participation.person.name,
            "status": participation.get_status_display(),
        }
        if participation.is_approved and participation.person.email:
            mail.links_send(
                actor=request.user,
                consultation=consultation,
                base_url=request.build_absolute_uri("/"),
                ids=[participation.pk],
                template="approved",
            )
            text += " " + _("Their personal link is on its way to %(email)s.") % {"email": participation.person.email}
        messages.success(request, text)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("people:manage_participants", kwargs={"slug": slug})  # never another site, never javascript:
    return redirect(back)


@login_required
@require_POST
def participant_link(request, slug, pk):
    consultation = _managed(request, slug)
    participation = get_object_or_404(Participation, consultation=consultation, pk=pk)
    try:
        token = services.access_link_issue(actor=request.user, participation=participation)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:manage_participants", slug=slug)
    url = request.build_absolute_uri(reverse("people:agenda", kwargs={"token": token}))
    return render(
        request,
        "people/link_issued.html",
        {
            "consultation": consultation,
            "participation": participation,
            "url": url,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug):
    consultation = _managed(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_table(filename=upload.name, content=upload.read())
            started = imports.import_start(
                actor=request.user, consultation=consultation, filename=upload.name, rows=rows
            )
        except ServiceError as error:
            form.add_error("file", error.messages)
        else:
            if started.job is not None:
                return redirect(started.job)
            return redirect("people:import_preview", slug=slug, pk=started.batch.pk)
    return render(request, "people/import_upload.html", {"consultation": consultation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, slug, pk):
    consultation = _managed(request, slug)
    batch = get_object_or_404(ParticipantImport, consultation=consultation, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                imports.import_discard(actor=request.user, batch=batch)
                messages.success(request, _("The import was discarded; nothing was saved."))
                return redirect("people:manage_participants", slug=slug)
            created = imports.import_confirm(actor=request.user, batch=batch)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
            batch.refresh_from_db()
        else:
            messages.success(
                request,
                ngettext("%(count)d participant imported.", "%(count)d participants imported.", created)
                % {"count": created},
            )
            return redirect("people:manage_participants", slug=slug)
    by_row: dict[int, list[str]] = {}
    for problem in batch.problems:
        by_row.setdefault(problem["row"], []).append(problem["message"])
    rows = [{**row, "problems": by_row.get(row["row"], [])} for row in batch.rows]
    return render(request, "people/import_preview.html", {"consultation": consultation, "batch": batch, "rows": rows})


@login_required
@require_GET
def badges(request, slug):
    consultation = _managed(request, slug)
    rows = selectors.participation_list(consultation=consultation, status=RegistrationStatus.APPROVED)
    role = request.GET.get("role", "")
    if role in Role.values:
        rows = rows.filter(role=role)
    cards = []
    for participation in rows:
        token = services.access_link_current(actor=request.user, participation=participation)
        url = request.build_absolute_uri(reverse("people:agenda", kwargs={"token": token}))
        cards.append({"participation": participation, "url": url})
    return render(
        request,
        "people/badges.html",
        {"consultation": consultation, "cards": cards, "roles": Role.choices, "role": role},
    )


@login_required
@require_POST
def participants_approve(request, slug):
    """Approve the pending registrations ticked on the participants page, or all pending ones; each approved person
    with an address is sent their personal link (one background job for the lot, one message each)."""
    consultation = _managed(request, slug)
    ids = None if request.POST.get("scope") == "all" else request.POST.getlist("ids")
    try:
        approved = services.participations_approve(actor=request.user, consultation=consultation, ids=ids)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("people:manage_participants", kwargs={"slug": slug}) + "?status=requested")
    text = ngettext("%(count)d registration approved.", "%(count)d registrations approved.", len(approved)) % {
        "count": len(approved)
    }
    with_address = [p.pk for p in approved if p.person.email]
    if with_address:
        mail.links_send(
            actor=request.user,
            consultation=consultation,
            base_url=request.build_absolute_uri("/"),
            ids=with_address,
            template="approved",
        )
        text += " " + ngettext(
            "Their personal link is on its way by e-mail.",
            "Each of them is being sent their personal link by e-mail.",
            len(with_address),
        )
    messages.success(request, text)
    return redirect("people:manage_participants", slug=slug)


class ParticipantsCsv(core_exporters.BaseExporter):
    identifier = "participants-csv"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def __init__(self, consultation, header, rows) -> None:
        self.consultation, self.header, self.rows = consultation, header, rows

    def filename(self) -> str:
        return f"{self.consultation.slug}-participants.csv"

    def render(self) -> bytes:
        return core_exporters.csv_bytes(self.header, self.rows, bom=True)


@login_required
@require_GET
def participants_export(request, slug):
    """Every participation with the person's details and, for each published breakout slot, their group."""
    consultation = _managed(request, slug)
    slots = published_placements(consultation=consultation)
    header = ["name", "email", "organisation", "stakeholder_group", "country", "gender", "role", "status"]
    for slot in slots:
        start = timezone.localtime(slot["session"].start, consultation.tz)
        header.append(f"breakout {start:%Y-%m-%d %H:%M}")  # a column name, as the others: not translated
    stakeholders, genders = dict(StakeholderGroup.choices), dict(Gender.choices)
    rows = []
    for p in selectors.participation_list(consultation=consultation):
        person = p.person
        row = [
            person.name,
            person.email,
            person.organisation.name if person.organisation_id else "",
            str(stakeholders.get(person.stakeholder_group, person.stakeholder_group)),
            countries.name(person.country) if person.country else "",
            str(genders.get(person.gender, person.gender)),
            p.get_role_display(),
            p.get_status_display(),
        ]
        for slot in slots:
            group = slot["groups"].get(p.pk)
            row.append(_group_label(group))
        rows.append(row)
    return core_exporters.response(ParticipantsCsv(consultation, header, rows))


def _group_label(group) -> str:
    if group is None:
        return ""
    if group.place:
        return _("Group %(number)s — %(room)s") % {"number": group.number, "room": group.place}
    return _("Group %(number)s") % {"number": group.number}
