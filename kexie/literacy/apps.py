from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "kexie.literacy"
    label = "literacy"
