from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocietiesConfig(AppConfig):
    name = "kexie.societies"
    label = "societies"
    verbose_name = _("Societies and exchange")

    def ready(self) -> None:
        from kexie.societies import search  # noqa: PLC0415 - app registry must be ready

        search.register()
