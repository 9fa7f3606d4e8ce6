"""``target87 report SLUG --format html|pdf|docx|json|csv [--edition outcome|followup [--currency EUR]]
[--channel CHANNEL] [--language fr] --out FILE``"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from target87.consultations.models import Consultation
from target87.core.errors import ServiceError
from target87.reports import charts as charting
from target87.reports import followup, rendering, selectors, services


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Write the outcome report of a consultation in one format, for the whole consultation or one channel."
    # The site's system checks (they load every URL and view) belong to `target87 check` and to the deployment;
    # a report written from the command line does not need them, and they took a sixth of its start-up.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the consultation's short name")
        parser.add_argument("--format", required=True, choices=rendering.FORMATS, dest="fmt")
        parser.add_argument("--channel", default="", help="a channel's short name: the report for that channel")
        parser.add_argument("--language", default="en", help="en, fr or es")
        parser.add_argument(
            "--edition",
            default="outcome",
            help="outcome (the default) or followup: the report with what has happened since each recommendation",
        )
        parser.add_argument(
            "--currency",
            default="",
            help="for a follow-up edition: the ISO 4217 code the money is given in (USD unless said)",
        )
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, slug, fmt, channel, language, out, edition, currency, **options):
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        try:
            consultation = Consultation.objects.filter(slug=slug).first()
        except DatabaseError:
            raise _fail(_("The database is not ready: run target87 migrate first.")) from None
        if consultation is None:
            known = ", ".join(Consultation.objects.order_by("slug").values_list("slug", flat=True)) or _("none yet")
            raise _fail(
                _("There is no consultation “%(slug)s”. Consultations: %(known)s.") % {"slug": slug, "known": known}
            )
        chosen = None
        if channel:
            chosen = selectors.channel_find(consultation=consultation, slug=channel)
            if chosen is None:
                names = [f"{c.slug} ({c.name})" for c in selectors.channel_list(consultation=consultation)]
                listed = "; ".join(names) if names else _("this consultation has no channels yet")
                raise _fail(
                    _("%(slug)s has no channel “%(channel)s”. Channels: %(listed)s.")
                    % {"slug": slug, "channel": channel, "listed": listed}
                )
        languages = [code for code, _name in settings.LANGUAGES]
        if language not in languages:
            raise _fail(
                _("The report is made in %(known)s; “%(language)s” is not one of them.")
                % {"known": ", ".join(languages), "language": language}
            )
        edition = {"follow-up": "followup"}.get(edition, edition)
        if currency and edition != "followup":
            raise _fail(_("--currency is for a follow-up edition: add --edition followup."))
        try:
            kind, currency = services.edition_kind(edition, currency)
        except ServiceError as error:
            raise _fail(" ".join(error.messages)) from None
        target = Path(out)
        if not target.parent.is_dir():
            raise _fail(
                _("Cannot write %(out)s: the folder %(folder)s does not exist.") % {"out": out, "folder": target.parent}
            )
        try:
            with translation.override(language):
                contents = followup.contents_for(
                    consultation=consultation, channel=chosen, kind=kind, currency=currency
                )
                image = {"html": "svg", "pdf": "svg", "docx": "png"}.get(fmt, "")
                data = followup.render(contents, fmt, charts=charting.prepare(contents, image=image))
        except ServiceError as error:
            raise _fail(" ".join(error.messages)) from None
        scratch = target.with_name(f".{target.name}.part")
        try:
            scratch.write_bytes(data)
            scratch.replace(target)
        except OSError as error:
            scratch.unlink(missing_ok=True)
            raise _fail(_("Cannot write %(out)s: %(error)s.") % {"out": out, "error": error.strerror}) from None
        count = sum(len(b["recommendations"]) for b in contents["key_questions"])
        self.stdout.write(
            _("Wrote %(out)s (%(format)s, %(size)s bytes, %(count)s recommendations).")
            % {"out": out, "format": fmt.upper(), "size": f"{len(data):,}", "count": count}
        )
