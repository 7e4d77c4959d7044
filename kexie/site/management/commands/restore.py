"""`kexie restore PATH`: restore a backup made by `kexie backup` into the configured instance."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kexie.site.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup directory: check its checksums, restore the database and the uploaded "
        "files, apply newer migrations, rebuild the search index and compare row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds tables (stop the site first)",
        )
        parser.add_argument("--no-reindex", action="store_true", help="do not rebuild the search index")

    def handle(self, *args, path, force, no_reindex, **options):
        try:
            report = restore_backup(path, force=force, reindex=not no_reindex)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.mismatched_counts:
            details = ", ".join(f"{t}: {a} → {b}" for t, (a, b) in sorted(report.mismatched_counts.items()))
            raise CommandError(f"restored, but row counts differ from the manifest: {details}")
        indexed = "" if report.indexed is None else f", {report.indexed} documents indexed"
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {report.rows} rows in {report.tables} tables and {report.files} files{indexed}; "
                "run `kexie verify_audit` next"
            )
        )
