"""Which survey files the estimation page takes: the formats, the size limits, a safe name to keep it under."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from target87.core.errors import ServiceError
from target87.engines.microdata import file_format

#: files larger than this are refused (override with the setting INDICATORS_MAX_UPLOAD_BYTES)
MAX_UPLOAD_BYTES = 500 * 1024 * 1024
#: files larger than this run as a background job (setting INDICATORS_BACKGROUND_BYTES)
BACKGROUND_BYTES = 20 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "INDICATORS_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def background_bytes() -> int:
    return int(getattr(settings, "INDICATORS_BACKGROUND_BYTES", BACKGROUND_BYTES))


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
        return _("%(size)s MB") % {"size": megabytes}
    return _("%(size)d kB") % {"size": max(1, round(size / 1024))}


def check_upload(*, name: str, size: int) -> str:
    """The file's format, or a :class:`ServiceError` saying why it cannot be taken."""
    if size > max_upload_bytes():
        raise ServiceError(
            {
                "file": _(
                    "The file is %(size)s; files up to %(limit)s can be uploaded here. Keep only the columns the "
                    "estimate needs (weight, strata, clusters, age, sex, area, hours), or save it as Parquet, "
                    "which is much smaller, or run the command target87 estimate child-labour on the file."
                )
                % {"size": size_text(size), "limit": size_text(max_upload_bytes())}
            }
        )
    if size == 0:
        raise ServiceError({"file": _("The file is empty.")})
    kind = file_format(Path(name))
    if kind is None:
        raise ServiceError(
            {
                "file": _(
                    "“%(name)s” is not a survey file this page reads: give a CSV (.csv, .csv.gz), Parquet (.parquet), "
                    "SPSS (.sav) or Stata (.dta) file."
                )
                % {"name": name}
            }
        )
    return kind


def safe_name(name: str) -> str:
    """The file's own name, kept to letters, digits and ``._-`` (at most 200 characters)."""
    base = Path(name).name.replace("\x00", "")
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in base)[:200] or "survey"
