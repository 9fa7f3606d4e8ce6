from django.core.management.base import BaseCommand

from target87.demo import bangkok


class Command(BaseCommand):
    help = "Load the Bangkok consultation of 14–15 September 2016 as a demonstration (safe to run again)."

    def handle(self, *args, **options):
        bangkok.load(stdout=self.stdout)
        accounts = f"Demo convener: user “{bangkok.CONVENER_USERNAME}”, password “{bangkok.CONVENER_PASSWORD}”."
        rapporteur = bangkok.rapporteur_user()
        if rapporteur is not None and rapporteur.get_username() == bangkok.RAPPORTEUR_USERNAME:
            accounts += (
                f"\nDemo rapporteur: user “{bangkok.RAPPORTEUR_USERNAME}”, password “{bangkok.RAPPORTEUR_PASSWORD}”."
            )
        self.stdout.write(self.style.SUCCESS(accounts))
