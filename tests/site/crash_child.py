"""A process the crash tests kill with SIGKILL in the middle of a write.

``python -m tests.site.crash_child SCENARIO ARG MARKER VERB TABLE NTH``: runs the scenario's service
call; right after the NTH statement ``VERB INTO/… TABLE`` has executed (inside the transaction,
before any commit) it writes MARKER and waits to be killed. Nothing is mocked: the statement really
ran on the database, the process really dies.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path


def main() -> None:
    scenario, arg, marker, verb, table, nth = sys.argv[1:7]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    import django

    django.setup()
    from django.db import connection

    seen = {"n": 0}
    # INSERT INTO "t", INSERT OR IGNORE INTO "t" (SQLite's many-to-many add), UPDATE "t" …
    pattern = re.compile(rf'^{verb}\b(?: OR IGNORE)?(?: INTO)? "?{table}"?[ (]', re.IGNORECASE)

    def pause_after(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if pattern.match(sql.lstrip()):
            seen["n"] += 1
            if seen["n"] == int(nth):
                Path(marker).write_text(f"{verb} {table} #{nth}", encoding="utf-8")
                while True:
                    time.sleep(1)
        return result

    with connection.execute_wrapper(pause_after):
        if scenario == "notice":
            from kexie.policy.models import Notice
            from kexie.policy.services import confirm_notice, draft_unit_names, match_organizations

            notice = Notice.objects.get(pk=int(arg))
            mapping = match_organizations(draft_unit_names(notice.draft))
            confirm_notice(notice=notice, mapping=mapping, by=notice.created_by)
        elif scenario == "experts":
            from kexie.accounts.models import User
            from kexie.experts.spreadsheets import import_experts

            path, username = arg.split("|")
            import_experts(
                content=Path(path).read_bytes(), by=User.objects.get(username=username), file_name="e.xlsx"
            )
        elif scenario == "survey":
            from kexie.surveys.models import Response
            from kexie.surveys.services import submit_response

            submit_response(response=Response.objects.get(pk=int(arg)))
        else:
            raise SystemExit(f"unknown scenario {scenario}")
    Path(marker).write_text("finished without pausing", encoding="utf-8")


if __name__ == "__main__":
    main()
