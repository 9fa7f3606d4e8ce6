from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from target87.api.models import ApiToken


class Command(BaseCommand):
    help = "Create a bearer token for the write API and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}. Create one with: target87 createsuperuser")
        _token, key = ApiToken.issue(user=user, name=name)
        self.stdout.write(key)
