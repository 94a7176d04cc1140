"""The `veche` command: Django's manage.py with names an operator remembers.

`veche serve` runs the development server, `veche worker` the background task worker, `veche demo` loads the demo data;
`veche pb …` counts Pabulib files without Django (no settings, no database); every other word is passed to Django
unchanged (`veche migrate`, `veche createsuperuser`, `veche backup` …).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": ["runserver"],
    "worker": ["db_worker"],
}


def translate_argv(argv: list[str]) -> list[str]:
    """Expand an alias in argv[1]; leave any other command untouched.

    The worker serves every queue (emails have their own) unless the operator names queues explicitly.
    """
    if len(argv) > 1 and argv[1] in ALIASES:
        rest = argv[2:]
        if argv[1] == "worker" and not any(arg.startswith("--queue-name") for arg in rest):
            rest = ["--queue-name=*", *rest]
        return [argv[0], *ALIASES[argv[1]], *rest]
    return argv


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "pb":
        from veche.budgeting.pb_cli import main as pb_main

        sys.exit(pb_main(sys.argv[2:]))
    from config.settings.select import settings_module

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    from django.core.management import execute_from_command_line

    execute_from_command_line(translate_argv(sys.argv))


if __name__ == "__main__":
    main()
