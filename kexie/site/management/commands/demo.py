"""`kexie demo`: migrate, load the seed organizations and demo data, print the logins, serve."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kexie.site.demo import DEMO_PASSWORD, EXTRA_LOGINS, load_demo


class Command(BaseCommand):
    help = "Prepare a demonstration database (idempotent) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="prepare only")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, no_serve, host, port, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, clear=True, verbosity=0)
        accounts = load_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"kexie 科协创新服务平台: http://{host}:{port}/"))
        self.stdout.write(f"演示账号 / demo logins (password 密码: {DEMO_PASSWORD})")
        for username, description in [*accounts, *EXTRA_LOGINS]:
            self.stdout.write(f"  {username:<16} {description}")
        self.stdout.write(f"API 文档 / API docs: http://{host}:{port}/api/docs")
        self.stdout.write(f"第二因素 / second factor for staff: {settings.STAFF_SECOND_FACTOR}")
        if not no_serve:
            call_command("serve", host=host, port=port)
