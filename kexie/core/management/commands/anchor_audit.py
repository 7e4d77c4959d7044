from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from kexie.core.services import anchor_audit_head, signed_head


class Command(BaseCommand):
    help = (
        "Append the signed head of the audit chain to the anchor file (KEXIE_AUDIT_ANCHOR_FILE) and print "
        "it; --print-only prints the signed head without appending (to hand to the auditor)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--print-only", action="store_true")

    def handle(self, *args, **options):
        record = signed_head() if options["print_only"] else anchor_audit_head()
        self.stdout.write(json.dumps(record, sort_keys=True))
