from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kexie.surveys"
    label = "surveys"
