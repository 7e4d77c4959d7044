from django.apps import AppConfig
from django.core import checks

from kexie.search.checks import check_search_backend


class SearchConfig(AppConfig):
    name = "kexie.search"
    label = "search"

    def ready(self) -> None:
        checks.register(check_search_backend)
