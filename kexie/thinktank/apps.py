from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThinktankConfig(AppConfig):
    name = "kexie.thinktank"
    label = "thinktank"
    verbose_name = _("Think tank")

    def ready(self) -> None:
        from kexie.thinktank import search  # noqa: PLC0415 - models load after apps

        search.register()
