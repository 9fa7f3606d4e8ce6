"""Small answers that every app's views give."""

from __future__ import annotations

from django.http import HttpResponseRedirect


def see_other(url: str) -> HttpResponseRedirect:
    """After a POST that stored something: go and GET the page (303 See Other)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
