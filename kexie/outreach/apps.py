from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "kexie.outreach"
    label = "outreach"
    verbose_name = _("Science outreach")

    def ready(self) -> None:
        from kexie.outreach import search  # noqa: PLC0415 - models load after apps

        search.register()
