from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kexie.core"
    label = "core"

    def ready(self) -> None:
        from kexie.core import checks  # noqa: F401 - registers the system checks
        from kexie.core.forms import use_readable_empty_choices

        use_readable_empty_choices()
