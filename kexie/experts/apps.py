from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "kexie.experts"
    label = "experts"

    def ready(self) -> None:
        from kexie.experts.documents import expert_documents  # noqa: PLC0415 - models load after apps
        from kexie.search import index as search  # noqa: PLC0415 - see above
        from kexie.search.enums import DocumentKind  # noqa: PLC0415 - see above

        search.register_source(DocumentKind.EXPERT, expert_documents)
