from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "kexie.workers"
    label = "workers"
    verbose_name = _("Services for sci-tech workers")

    def ready(self) -> None:
        from kexie.workers import search  # noqa: PLC0415 - models load after apps

        search.register()
