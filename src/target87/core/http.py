"""Small answers that every app's views give."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpResponseRedirect


def see_other(url: str) -> HttpResponseRedirect:
    """After a POST that stored something: go and GET the page (303 See Other)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def page_of(request, rows, per_page: int) -> Page:
    """The page of ``rows`` that ``?page=`` asks for (``core/_pages.html`` draws the links between pages). A page
    number that is not one, or past the end, gives the first or the last page rather than an error: such links
    come from bookmarks of a list that has since grown shorter."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
