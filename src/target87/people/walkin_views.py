"""The join page: the code on the plenary screen and an e-mail address bring an approved participant their personal
link by e-mail; and the convener's page that shows the code and makes a new one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Consultation
from target87.core import ratelimit
from target87.core.http import see_other

from . import walkin

SENT = "target87.people.walkin.sent"


class JoinForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Join code"),
        max_length=20,
        help_text=gettext_lazy("The 6 letters and digits shown on the screen in the room."),
        error_messages={"required": gettext_lazy("Type the join code shown on the screen.")},
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false", "class": "code"}
        ),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy("The address you registered with."),
        error_messages={
            "required": gettext_lazy("Type the e-mail address you registered with."),
            "invalid": gettext_lazy("Enter a valid e-mail address, such as name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


def _consultation_of_code(form, consultation):
    """The consultation the typed code opens (which must be this one, on a consultation's page); else None, with
    the code's error on the form."""
    found = walkin.consultation_for_code(form.cleaned_data["code"])
    typed = walkin.normalise(form.cleaned_data["code"])
    if found is not None and (consultation is None or found.pk == consultation.pk):
        return found
    if consultation is not None:
        message = _(
            "“%(code)s” is not the join code of %(title)s. Check the code on the screen in the room: 6 letters and "
            "digits, with no 0, O, 1 or I."
        ) % {
            "code": typed,
            "title": consultation.title,
        }
    else:
        message = _(
            "“%(code)s” is not a join code. Check the code on the screen in the room: 6 letters and digits, "
            "with no 0, O, 1 or I."
        ) % {"code": typed}
    form.add_error("code", message)
    return None


def _ask(request, form, consultation):
    """Judge a filled form: the response to give when the request is refused, else None (the link is asked for)."""
    wait = walkin.wait_for_address(ratelimit.client_address(request))
    if wait:
        form.add_error(
            None,
            _("Many links were asked for from your network in the last hour. Please try again in %(minutes)d minutes.")
            % {"minutes": _minutes(wait)},
        )
        return 429
    found = _consultation_of_code(form, consultation)
    if found is None:
        return 200
    email = form.cleaned_data["email"]
    wait = walkin.wait_for_email(email)
    if wait:
        form.add_error(
            "email",
            _(
                "A link was asked for %(email)s several times in the last hour. Look for it in your inbox (and the "
                "spam folder), or try again in %(minutes)d minutes."
            )
            % {"email": email, "minutes": _minutes(wait)},
        )
        return 429
    walkin.link_request(consultation=found, email=email, base_url=request.build_absolute_uri("/"))
    request.session[SENT] = {"email": email, "consultation": found.pk}
    return None


@require_http_methods(["GET", "POST"])
def join(request, slug=None):
    """Code and e-mail address: a link on its way (the same answer whether or not the address is known)."""
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user) if slug else None
    initial = {"code": walkin.normalise(request.GET.get("code", ""))[:20]}
    form = JoinForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _ask(request, form, consultation)
        if status is None:
            return see_other(reverse("people:join_sent"))
    return render(request, "people/join.html", {"consultation": consultation, "form": form}, status=status)


@require_GET
def join_sent(request):
    sent = request.session.get(SENT) or {}
    consultation = Consultation.objects.filter(pk=sent.get("consultation")).first()
    if consultation is None:
        return see_other(reverse("people:join"))
    return render(request, "people/join.html", {"sent": sent, "consultation": consultation})


@login_required
@require_http_methods(["GET", "POST"])
def join_code_manage(request, slug):
    """The join code as the screen shows it, and a new one (the old one stops working)."""
    consultation = consultation_selectors.consultation_get_managed(slug=slug, user=request.user)
    if request.method == "POST":
        join = walkin.join_code_renew(actor=request.user, consultation=consultation)
        messages.success(
            request, _("The join code is now %(code)s; the old one no longer works.") % {"code": join.code}
        )
        return see_other(reverse("people:join_code", kwargs={"slug": slug}))
    return render(request, "people/join_manage.html", {"consultation": consultation})
