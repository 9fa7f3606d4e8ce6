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
