from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "kexie.transfer"
    label = "transfer"

    def ready(self) -> None:
        from kexie.transfer import expert_references, search  # noqa: PLC0415 - app registry must be ready

        search.register()
        expert_references.register()
