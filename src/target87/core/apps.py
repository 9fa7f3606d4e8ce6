from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "target87.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The engines translate through Django while the web layer runs, so a message raised by an
        # engine follows the language of the request that triggered it.
        from django.utils.translation import gettext, ngettext

        from target87.engines import i18n

        i18n.use(gettext, ngettext)
