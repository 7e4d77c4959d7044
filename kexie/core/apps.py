from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kexie.core"
    label = "core"

    def ready(self) -> None:
        from kexie.core import checks  # noqa: F401 - registers the system checks
