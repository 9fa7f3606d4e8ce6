"""Exports: one mechanism for every download.

An exporter is a class with an identifier, a name, a content type and a file extension; an instance knows what
it exports and renders it to bytes. Each domain keeps its own :class:`Registry` (the schedule's, the
deliberation's, the ballots', the estimates'), so a page lists its formats and a view looks one up by
identifier; :func:`response` turns an exporter into the download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header


class BaseExporter:
    identifier: str = ""
    #: the name shown to people, in the list of formats (lazily translated)
    name = ""
    content_type = "application/octet-stream"
    extension = ""
    #: served to be opened in place rather than saved (a calendar's subscription)
    inline = False
    #: templates list exporter classes by identifier and name: they must not instantiate them
    do_not_call_in_templates = True

    def filename(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def render(self) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError


E = TypeVar("E", bound=type[BaseExporter])


class Registry:
    """A domain's named set of exporter classes, in the order they were registered."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._exporters: dict[str, type[BaseExporter]] = {}

    def register(self, cls: E) -> E:
        """Class decorator; an identifier names one exporter only."""
        known = self._exporters.get(cls.identifier)
        if not cls.identifier or (known is not None and known is not cls):
            raise ImproperlyConfigured(f"{self.name} exporters: {cls.__qualname__} needs an identifier of its own")
        self._exporters[cls.identifier] = cls
        return cls

    def get(self, identifier: str) -> type[BaseExporter]:
        try:
            return self._exporters[identifier]
        except KeyError:
            raise Http404 from None

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._exporters

    def __iter__(self) -> Iterator[type[BaseExporter]]:
        return iter(self._exporters.values())

    def __len__(self) -> int:
        return len(self._exporters)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._exporters)}>"


def response(exporter: BaseExporter) -> HttpResponse:
    """The download: the rendered bytes, their content type and an RFC 6266 Content-Disposition (``filename*``
    in UTF-8 when the name is not plain ASCII)."""
    result = HttpResponse(exporter.render(), content_type=exporter.content_type)
    result["Content-Disposition"] = content_disposition_header(not exporter.inline, exporter.filename())
    return result


#: what a spreadsheet takes for the start of a formula when a cell begins with it
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe_cell(value):
    """A cell a spreadsheet shows as text. Text that people typed (a contribution, a statement, a name) reaches
    the exports; a cell that begins like a formula (``=HYPERLINK(…)``, ``@SUM(…)``) would run as one when the
    file is opened, so it gets a leading apostrophe, which spreadsheets read as "this is text". Numbers, −1
    included, stay as they are, so that the files are still read back as data."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _number(value):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: Iterable[Iterable], *, lineterminator: str = "\n", bom: bool = False) -> bytes:
    """A CSV file in UTF-8, with a byte-order mark if asked (so that spreadsheet programs read it as UTF-8).
    Text that would start a formula in a spreadsheet is written as text (see :func:`safe_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")
