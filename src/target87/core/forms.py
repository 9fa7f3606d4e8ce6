"""Form helpers shared by the apps."""

from __future__ import annotations

from django import forms

from .errors import ServiceError


def apply_service_error(form: forms.Form, error: ServiceError) -> None:
    """Show a service's refusal on the form: under each field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class TranslatedFieldsMixin:
    """Adds, for each field named in ``translated_fields``, one optional field per other interface language.

    ``title`` gets ``title__fr`` and ``title__es``; :meth:`translations` gives them back in the shape of
    :class:`~target87.consultations.models.Translatable` (``{"fr": {"title": "…"}}``).
    """

    translated_fields: tuple[str, ...] = ()

    def add_translated_fields(self, current: dict | None = None) -> None:
        from django.conf import settings
        from django.utils.text import format_lazy

        current = current or {}
        for code, language in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            for name in self.translated_fields:
                original = self.fields[name]
                widget = (
                    forms.Textarea(attrs={"rows": 2})
                    if isinstance(original.widget, forms.Textarea)
                    else forms.TextInput()
                )
                self.fields[f"{name}__{code}"] = forms.CharField(
                    label=format_lazy("{} ({})", original.label, language),
                    required=False,
                    widget=widget,
                    max_length=getattr(original, "max_length", None),
                )
                self.initial.setdefault(f"{name}__{code}", current.get(code, {}).get(name, ""))

    def translations(self) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for key, value in self.cleaned_data.items():
            if "__" in key and value:
                name, code = key.split("__", 1)
                result.setdefault(code, {})[name] = value
        return result

    def untranslated_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if "__" not in k}
