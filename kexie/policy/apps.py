from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "kexie.policy"
    label = "policy"
