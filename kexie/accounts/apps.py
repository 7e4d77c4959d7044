from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kexie.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kexie.accounts import signals

        signals.connect()
