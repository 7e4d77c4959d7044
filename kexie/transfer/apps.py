from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "kexie.transfer"
    label = "transfer"

    def ready(self) -> None:
        from kexie.search import index as search  # noqa: PLC0415 - app registry must be ready
        from kexie.search.enums import DocumentKind  # noqa: PLC0415
        from kexie.transfer import documents  # noqa: PLC0415

        search.register_source(DocumentKind.DEMAND, documents.demand_documents)
        search.register_source(DocumentKind.ACHIEVEMENT, documents.achievement_documents)
        search.register_source(DocumentKind.TEAM, documents.team_documents)
