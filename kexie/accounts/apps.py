from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kexie.accounts"
    label = "accounts"
