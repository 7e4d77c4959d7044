from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "kexie.site"
    # Not "site": too close to django.contrib.sites ("sites") and the standard library's `site`, and
    # labels are global across every installed app.
    label = "kexie_site"
    verbose_name = "kexie site"
