from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kexie.core"
    label = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from kexie.core import checks  # noqa: F401 - registers the system checks
        from kexie.core.files import private_sqlite_files

        connection_created.connect(private_sqlite_files, dispatch_uid="kexie-private-sqlite")
        from kexie.core.forms import use_readable_empty_choices

        use_readable_empty_choices()
