from __future__ import annotations

from django.core.management.base import BaseCommand

from kexie.accounts.services import load_seed_organizations


class Command(BaseCommand):
    help = "Load the seed organizations: the association, the units the notice names, 38 districts."

    def handle(self, *args, **options):
        created = load_seed_organizations()
        self.stdout.write(self.style.SUCCESS(f"seed organizations created: {created}"))
