from django import template

register = template.Library()


@register.filter
def percent(share) -> str:
    """A share (0.0123) as a percentage without trailing zeros (1.23)."""
    try:
        value = 100 * float(share)
    except (TypeError, ValueError):
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@register.filter
def language_label(code) -> str:
    """A language code (``th``) as its name in the interface language (Thai), or the code if unknown."""
    from django.utils.translation import get_language_info

    code = str(code or "")
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
