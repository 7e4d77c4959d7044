from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kexie.core.services import read_anchors, verify_audit_chain


class Command(BaseCommand):
    help = (
        "Recompute the keyed audit chain and report edited, deleted or truncated events, and events that "
        "differ from the signed heads anchored outside the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors", type=Path, help="the auditor's copy of the anchor file (default: the configured one)"
        )

    def handle(self, *args, **options):
        anchors = read_anchors(options["anchors"]) if options["anchors"] else None
        report = verify_audit_chain(anchors=anchors)
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"audit chain broken ({report.checked} events checked)")
        self.stdout.write(
            self.style.SUCCESS(
                f"audit chain intact: {report.checked} events checked, {report.anchors} anchors matched"
            )
        )
