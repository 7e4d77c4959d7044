from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "kexie.experts"
    label = "experts"

    def ready(self) -> None:
        from kexie.experts import search  # noqa: PLC0415 - models load after apps

        search.register()
