"""The convener's e-mail: personal links to one or every approved participant, the links as a CSV file for a mail
merge, telling the voters that a ballot is open, and inviting facilitators and rapporteurs to sign in (with the
page their one-time link opens). Sending is a background job with its progress page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Consultation
from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError

from . import invitations, mail, services
from .forms import InviteForm
from .models import Participation


def _managed(request, slug):
    return consultation_selectors.consultation_get_managed(slug=slug, user=request.user)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_POST
def links_mail(request, slug):
    """E-mail (again) their personal link to every approved participant, or to the one named by ``participation``."""
    consultation = _managed(request, slug)
    ids = None
    if request.POST.get("participation"):
        ids = [get_object_or_404(Participation, consultation=consultation, pk=request.POST["participation"]).pk]
    try:
        job = mail.links_send(actor=request.user, consultation=consultation, base_url=_base_url(request), ids=ids)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:manage_participants", slug=slug)
    return redirect(job)


class LinksCsv(core_exporters.BaseExporter):
    identifier = "links-csv"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def __init__(self, consultation, rows) -> None:
        self.consultation = consultation
        self.rows = rows

    def filename(self) -> str:
        return f"{self.consultation.slug}-personal-links.csv"

    def render(self) -> bytes:
        header = ["name", "email", "language", "organisation", "role", "link", "expires"]
        return core_exporters.csv_bytes(header, self.rows, bom=True)


@login_required
@require_POST
def links_csv(request, slug):
    """Every approved participant's personal link (a new one only for those without a working link), for a mail
    merge. A POST: links may be made."""
    consultation = _managed(request, slug)
    rows = []
    tz = consultation.tz
    for participation in mail.recipients(consultation=consultation).select_related("person__organisation"):
        token = services.access_link_current(actor=request.user, participation=participation)
        link = participation.access_links.filter(revoked_at=None).order_by("-expires_at").first()
        person = participation.person
        rows.append(
            [
                person.name,
                person.email,
                mail.language_of(participation),
                person.organisation.name if person.organisation_id else "",
                participation.get_role_display(),
                mail.personal_url(_base_url(request), token),
                timezone.localtime(link.expires_at, tz).strftime("%Y-%m-%d %H:%M") if link else "",
            ]
        )
    return core_exporters.response(LinksCsv(consultation, rows))


@login_required
@require_POST
def ballot_mail(request, slug, pk):
    from target87.priorities.models import Ballot

    consultation = _managed(request, slug)
    ballot = get_object_or_404(Ballot, consultation=consultation, pk=pk)
    try:
        job = mail.ballot_open_send(actor=request.user, ballot=ballot, base_url=_base_url(request))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("priorities:manage_ballot", slug=slug, pk=pk)
    return redirect(job)


# --- facilitators and rapporteurs ---------------------------------------------------------------------------


@login_required
@require_POST
def invite(request, slug):
    """Invite a facilitator or rapporteur: one already listed (``participation``), or a person by name and e-mail."""
    consultation = _managed(request, slug)
    participation = None
    fields = {}
    if request.POST.get("participation"):
        participation = get_object_or_404(Participation, consultation=consultation, pk=request.POST["participation"])
    else:
        form = InviteForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("people:manage_participants", slug=slug)
        fields = form.cleaned_data
    try:
        job = invitations.invitation_send(
            actor=request.user,
            consultation=consultation,
            base_url=_base_url(request),
            participation=participation,
            **fields,
        )
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:manage_participants", slug=slug)
    return redirect(job)


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's one-time link: choose a password, be signed in, land on the group's capture page."""

    template_name = "people/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consultation"] = get_object_or_404(Consultation, slug=self.kwargs["slug"])
        return context

    def get_success_url(self):
        return reverse("deliberation:capture", kwargs={"slug": self.kwargs["slug"]})
