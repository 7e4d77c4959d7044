"""`kexie serve`: the web server (gunicorn) and the job consumer (Huey), supervised together.

`kexie serve` from the command line does not come here: kexie/cli.py runs kexie/site/serving.py
before Django loads. This command is for `manage.py serve` and `call_command("serve")` (`kexie demo`).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kexie.site import serving


class Command(BaseCommand):
    help = "Serve kexie: gunicorn for the web and one Huey consumer for background jobs."
    # The system checks run in gunicorn's master once the application is loaded (kexie/site/wsgi.py).
    requires_system_checks = []

    def add_arguments(self, parser):
        serving.add_arguments(parser)

    def handle(self, *args, host, port, workers, threads, no_consumer, **options):
        code = serving.run(host=host, port=port, workers=workers, threads=threads, no_consumer=no_consumer)
        if code:
            raise SystemExit(code)
