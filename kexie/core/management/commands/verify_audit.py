from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kexie.core.services import verify_audit_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain and report edited, deleted or truncated events."

    def handle(self, *args, **options):
        report = verify_audit_chain()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"audit chain broken ({report.checked} events checked)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} events checked"))
