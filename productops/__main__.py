"""The `productops` command: Django's command line with productops' settings.

Our commands are written with hyphens on the command line (`productops import-people`)
and live as Django management commands with underscores (`import_people`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "productops.settings")
    from django.core.management import execute_from_command_line

    args = list(argv if argv is not None else sys.argv[1:])
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["productops", *args])


if __name__ == "__main__":
    main()
