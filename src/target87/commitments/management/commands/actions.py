"""``target87 actions import FILE.csv --consultation SLUG --user NAME`` and ``target87 actions export``.

The CSV layout is documented in :mod:`target87.commitments.csvio`. An import checks every row first and stores
nothing if any row is wrong; each problem names its row; the command then exits with status 2."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from target87.commitments import csvio, selectors
from target87.consultations.models import Consultation
from target87.core.errors import ServiceError


class Command(BaseCommand):
    help = "Import actions from a CSV file (all rows or none) or export them, in the layout of the export."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("import", help="Import actions from FILE.csv (checked first; nothing stored on error)")
        load.add_argument("file")
        load.add_argument("--consultation", required=True, help="the consultation's short name (slug)")
        load.add_argument("--user", required=True, help="the account the actions are recorded as made by")
        load.add_argument("--check", action="store_true", help="check the file only, store nothing")
        dump = sub.add_parser("export", help="Write the consultation's actions as CSV")
        dump.add_argument("--consultation", required=True)
        dump.add_argument("--output", "-o", default="-", help="a file name, or - for the terminal (default)")
        self._parsers = (load, dump)

    def _fail(self, message: str):
        self.stderr.write(f"target87 actions: {message}")
        sys.exit(2)

    def handle(self, *args, **options):
        consultation = Consultation.objects.filter(slug=options["consultation"]).first()
        if consultation is None:
            self._fail(f"no consultation “{options['consultation']}”.")
        if options["what"] == "export":
            data = csvio.export(selectors.action_list(consultation=consultation))
            if options["output"] == "-":
                self.stdout.write(data.decode(), ending="")
            else:
                Path(options["output"]).write_bytes(data)
                self.stdout.write(f"Wrote {options['output']}.")
            return
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            self._fail(f"no account “{options['user']}”.")
        try:
            content = Path(options["file"]).read_bytes()
        except OSError as error:
            self._fail(f"cannot read {options['file']}: {error.strerror}.")
        try:
            if options["check"]:
                rows, problems = csvio.check(actor=user, consultation=consultation, content=content)
                if problems:
                    raise ServiceError(problems)
                self.stdout.write(f"{len(rows)} actions are correct; nothing stored (--check).")
                return
            made = csvio.store(actor=user, consultation=consultation, content=content)
        except ServiceError as error:
            for message in error.messages:
                self.stderr.write(message)
            self._fail("nothing was imported; correct the rows named above and run the command again.")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(made)} actions into {consultation.slug}."))
