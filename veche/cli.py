"""The `veche` command: Django's manage.py with names an operator remembers.

`veche serve` runs the development server, `veche worker` the background task worker, `veche demo` loads the demo data;
every other word is passed to Django unchanged (`veche migrate`, `veche createsuperuser`, `veche backup` …).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": ["runserver"],
    "worker": ["db_worker"],
}


def translate_argv(argv: list[str]) -> list[str]:
    """Expand an alias in argv[1]; leave any other command untouched."""
    if len(argv) > 1 and argv[1] in ALIASES:
        return [argv[0], *ALIASES[argv[1]], *argv[2:]]
    return argv


def main() -> None:
    from config.settings.select import settings_module

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    from django.core.management import execute_from_command_line

    execute_from_command_line(translate_argv(sys.argv))


if __name__ == "__main__":
    main()
