"""``target87 remind-overdue``: e-mail focal points the actions past their due date (at most once a week)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from target87.commitments import services


class Command(BaseCommand):
    help = "E-mail each focal point and representative the overdue actions they keep up to date."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="the site's address, for the links (https://…)")
        parser.add_argument("--force", action="store_true", help="remind even if reminded in the last week")

    def handle(self, *args, **options):
        result = services.remind_overdue(base_url=options["base_url"], force=options["force"])
        self.stdout.write(
            f"{result['actions']} overdue actions; {result['emails']} e-mails sent; "
            f"{result['without_keeper']} without a focal point to remind."
        )
