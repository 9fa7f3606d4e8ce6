from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "target87.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # registrations: the background job kinds (an import's check, the e-mail, a walk-in's link)
        from . import imports, invitations, mail, walkin  # noqa: F401
