"""`kexie backup`: a consistent backup of the database and uploaded files, with retention."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kexie.site.backup import (
    BackupError,
    backup_root,
    create_backup,
    default_keep,
    list_backups,
    verify_backup,
)


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup API or pg_dump) and the uploaded files, with a "
        "checksum manifest; keep the newest --keep backups."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=None, help="backup root (default KEXIE_BACKUP_DIR or var/backups)"
        )
        parser.add_argument(
            "--keep", type=int, default=None, help="backups to keep (default KEXIE_BACKUP_KEEP or 14)"
        )
        parser.add_argument("--list", action="store_true", help="list the backups and check their checksums")

    def handle(self, *args, dir, keep, list, **options):  # noqa: A002 - argument names of the command line
        root = dir or backup_root()
        if list:
            for path in list_backups(root):
                try:
                    manifest = verify_backup(path)
                    rows, files = sum(manifest["tables"].values()), len(manifest["media"])
                    state = f"ok  {manifest['engine']:<10} {rows:>9} rows {files:>6} files"
                except BackupError as exc:
                    state = f"BAD {exc}"
                self.stdout.write(f"{path.name}  {state}")
            return
        try:
            path = create_backup(root, keep=keep if keep is not None else default_keep())
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"backup written: {path}"))
