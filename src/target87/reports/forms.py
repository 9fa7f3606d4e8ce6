from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from target87.core.forms import TranslatedFieldsMixin

from .enums import ChannelKind, EditionKind


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    country = forms.CharField(
        label=_("Country"), max_length=60, required=False, help_text=_("For a country channel: its ISO code, e.g. VNM")
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BuildForm(forms.Form):
    edition = forms.ChoiceField(
        label=_("Edition"), choices=EditionKind.choices, initial=EditionKind.OUTCOME, required=False
    )
    channel = forms.ChoiceField(label=_("For"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    currency = forms.ChoiceField(
        label=_("Currency of the money"), required=False, help_text=_("For a follow-up edition")
    )

    def __init__(self, *args, channels=(), currencies=("USD",), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("The whole consultation"))] + [(str(c.pk), c.name) for c in channels]
        self.fields["currency"].choices = [(c, c) for c in currencies]


class KeyMessageForm(forms.Form):
    # checked by the service, which says what is wrong in the words the rapporteur needs (empty, too long)
    text = forms.CharField(label=_("Key message"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class KeyMessageChangeForm(TranslatedFieldsMixin, KeyMessageForm):
    """A written key message with its text in the report's other languages (``text__fr``, ``text__es``): the
    report in French or Spanish gives these, and the text as written where there is none."""

    translated_fields = ("text",)

    def __init__(self, *args, message=None, **kwargs):
        self.message = message
        if message is not None:
            kwargs.setdefault("initial", {"text": message.text})
            kwargs.setdefault("auto_id", f"key-message-{message.pk}-%s")
        super().__init__(*args, **kwargs)
        self.add_translated_fields(message.translations if message is not None else None)

    def translated_texts(self) -> dict[str, str]:
        """Language → text: the message's translations, with those the form sent in their place (an empty text
        removes that one); a language the form did not send keeps its translation."""
        texts = {code: kept["text"] for code, kept in (self.message.translations if self.message else {}).items()}
        for name in self.fields:
            if "__" in name and name in self.data:
                texts[name.split("__", 1)[1]] = self.cleaned_data.get(name, "")
        return texts

    def translation_fields(self):
        return [self[name] for name in self.fields if "__" in name]
