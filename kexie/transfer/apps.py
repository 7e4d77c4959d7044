from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "kexie.transfer"
    label = "transfer"
