from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "kexie.experts"
    label = "experts"
