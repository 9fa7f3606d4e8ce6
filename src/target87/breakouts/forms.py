from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import PairKind


class AllocateForm(forms.Form):
    group_count = forms.IntegerField(
        label=_("Number of groups"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("The session's room is shared out between the groups."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        help_text=_("The same seed and the same people give the same groups."),
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=600,
        initial=5,
        help_text=_("The solver stops earlier when it has proved its groups the best possible."),
    )
    background = forms.BooleanField(
        label=_("Run in the background, with a progress bar"),
        required=False,
        help_text=_("Large allocations always do."),
    )

    def __init__(self, *args, single_session: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not single_session:
            del self.fields["group_count"]


class MoveForm(forms.Form):
    participation = forms.IntegerField(min_value=1)
    group = forms.IntegerField(label=_("Group"), min_value=1)


class LanguageForm(forms.Form):
    language = forms.CharField(label=_("Working language"), max_length=16, required=False)


class PairForm(forms.Form):
    first = forms.TypedChoiceField(label=_("Person"), coerce=int)
    kind = forms.ChoiceField(label=_("Rule"), choices=PairKind.choices, initial=PairKind.TOGETHER)
    second = forms.TypedChoiceField(label=_("and"), coerce=int)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (p.pk, f"{p.person.name} ({p.person.organisation.name})" if p.person.organisation_id else p.person.name)
            for p in people
        ]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices
