from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kexie.search"
    label = "search"
