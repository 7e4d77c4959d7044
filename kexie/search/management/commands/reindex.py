"""`kexie reindex [--kind expert ...]`: rebuild the search index from the database.

Run it after installing (the index starts empty), after an upgrade that changes the index schema,
or whenever the index and the database might have drifted apart (a restored backup). Readers keep
the old index until the rebuild commits.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kexie.search import index
from kexie.search.backends.base import SearchUnavailable


class Command(BaseCommand):
    help = "Rebuild the search index from the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            default=[],
            help="Only this kind of document (repeatable); the others are kept as they are.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options["kinds"]
        started = time.monotonic()
        try:
            written = index.rebuild(kinds=kinds)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        except SearchUnavailable as exc:
            raise CommandError(
                _("The search index is being written by another process; try again later.")
            ) from exc
        self.stdout.write(
            _("Indexed %(count)d documents in %(seconds).1f s.")
            % {"count": written, "seconds": time.monotonic() - started}
        )
