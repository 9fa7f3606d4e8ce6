from django import forms
from django.utils.translation import gettext_lazy as _

from target87.core import countries

from .enums import Gender, StakeholderGroup


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), help_text=_("Only the organisers see it."))
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    stakeholder_group = forms.ChoiceField(label=_("Stakeholder group"), choices=StakeholderGroup.choices)
    country = forms.ChoiceField(label=_("Country"))
    gender = forms.ChoiceField(label=_("Gender (optional)"), choices=[("", "—"), *Gender.choices], required=False)
    topic_preferences = forms.MultipleChoiceField(
        label=_("Key questions you most want to work on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_needs = forms.CharField(
        label=_("Access needs (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only the organisers see it."),
    )
    dietary_needs = forms.CharField(label=_("Dietary needs (optional)"), max_length=200, required=False)
    motivation = forms.CharField(
        label=_("Why you wish to take part (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = consultation.countries if consultation and consultation.countries else None
        choices = countries.choices(codes)
        if codes:
            choices.append(("", "──────────"))
            choices += [c for c in countries.choices() if c[0] not in codes]
        self.fields["country"].choices = [("", "—"), *choices]
        if consultation is not None:
            self.fields["topic_preferences"].choices = [
                (f"q{q.position}", f"Q{q.position}. {q.tr('short_title')}") for q in consultation.key_questions.all()
            ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participant list (.csv or .xlsx)"),
        help_text=_(
            "Columns: name, email, organisation, stakeholder_group, country; optionally role, gender, languages, job_title."
        ),
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("facilitator", _("Facilitator")), ("rapporteur", _("Rapporteur"))],
    )
