"""The `kexie` command: Django's management commands plus kexie's own (demo, serve, seed …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "kexie"
    if len(args) > 1 and args[1] == "serve":
        # A supervisor of other processes: it needs no Django of its own (kexie/site/serving.py).
        from kexie.site.serving import main as serve

        serve(args[2:])
        return
    if len(args) == 1:
        args.append("help")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
