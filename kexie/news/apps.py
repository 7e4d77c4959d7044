from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "kexie.news"
    label = "news"
    verbose_name = _("Public information and publicity")

    def ready(self) -> None:
        from kexie.news import search  # noqa: PLC0415 - models load after apps

        search.register()
