from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from target87.core import countries
from target87.core.forms import TranslatedFieldsMixin

from .enums import ConsultationStatus, SessionKind, ThematicArea
from .models import KeyQuestion, Room


class ListField(forms.CharField):
    """A comma-separated list in a text box."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value):
        return [item.strip() for item in (value or "").replace(";", ",").split(",") if item.strip()]


class ConsultationForm(TranslatedFieldsMixin, forms.Form):
    translated_fields = ("title", "description")

    title = forms.CharField(label=_("Title"), max_length=300)
    slug = forms.SlugField(label=_("Short name (in addresses)"), max_length=80)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    convened_by = forms.CharField(label=_("Convening organisation"), max_length=200)
    subregion = forms.CharField(label=_("Sub-region"), max_length=200, required=False)
    countries = ListField(
        label=_("Countries of the sub-region"),
        required=False,
        help_text=_("ISO 3166 codes, separated by commas: KHM, LAO, THA"),
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.CharField(label=_("Country"), max_length=60, required=False, help_text=_("ISO 3166 code, e.g. THA"))
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, initial="UTC", help_text=_("IANA name, e.g. Asia/Bangkok")
    )
    languages = ListField(label=_("Working languages"), required=False, help_text=_("Language codes: en, fr, th"))
    status = forms.ChoiceField(label=_("Status"), choices=ConsultationStatus.choices)
    hold_contributions = forms.BooleanField(
        label=_("Hold participants' contributions until reviewed"),
        required=False,
        help_text=_(
            "Safeguarding: contributions appear on public pages only once a convener or facilitator has read them."
        ),
    )

    def __init__(self, *args, translations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_translated_fields(translations)


class KeyQuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("short_title", "text")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_translated_fields(self.instance.translations if self.instance.pk else None)

    class Meta:
        model = KeyQuestion
        fields = ["position", "short_title", "text", "lens"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity", "accessibility", "position"]
        widgets = {"accessibility": forms.Textarea(attrs={"rows": 2})}


class SessionForm(TranslatedFieldsMixin, forms.Form):
    """Times are typed in the consultation's time zone and stored in UTC."""

    translated_fields = ("title", "focus")

    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    focus = forms.CharField(label=_("Focus"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("End"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    deliberation_minutes = forms.IntegerField(label=_("Deliberation time (minutes)"), min_value=0, initial=0)
    key_questions = forms.ModelMultipleChoiceField(
        label=_("Key questions"),
        queryset=KeyQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    thematic_areas = forms.MultipleChoiceField(
        label=_("Thematic areas"), choices=ThematicArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    speakers = forms.ModelMultipleChoiceField(label=_("Chair, panellists and speakers"), queryset=None, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, consultation, translations=None, **kwargs):
        super().__init__(*args, **kwargs)
        from target87.people.selectors import people_for_consultation

        self.add_translated_fields(translations)
        self.consultation = consultation
        self.fields["room"].queryset = consultation.rooms.all()
        self.fields["key_questions"].queryset = consultation.key_questions.all()
        self.fields["speakers"].queryset = people_for_consultation(consultation=consultation)
        self.fields["day"].widget.attrs.update(
            min=consultation.start_date.isoformat(), max=consultation.end_date.isoformat()
        )

    @classmethod
    def initial_for(cls, session) -> dict:
        tz = session.consultation.tz
        start, end = timezone.localtime(session.start, tz), timezone.localtime(session.end, tz)
        return {
            "kind": session.kind,
            "title": session.title,
            "focus": session.focus,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "room": session.room_id,
            "deliberation_minutes": session.deliberation_minutes,
            "key_questions": list(session.key_questions.all()),
            "thematic_areas": session.thematic_areas,
            "speakers": [s.person_id for s in session.speakers.all()],
            "description": session.description,
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        tz = self.consultation.tz
        start = dt.datetime.combine(data["day"], data["start_time"], tzinfo=tz)
        end = dt.datetime.combine(data["day"], data["end_time"], tzinfo=tz)
        return {
            "kind": data["kind"],
            "title": data["title"],
            "focus": data["focus"],
            "description": data["description"],
            "start": start,
            "end": end,
            "room": data["room"],
            "deliberation_minutes": data["deliberation_minutes"],
            "key_questions": list(data["key_questions"]),
            "thematic_areas": data["thematic_areas"],
            "translations": self.translations(),
            "speakers": list(data["speakers"]),
        }


def validate_time_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def country_choices():
    return countries.choices()
