"""The ``target87`` command.

``target87 <django-command> …`` runs the project's management commands with the project's settings
(``target87 migrate``, ``target87 load-demo``, ``target87 runserver`` …). The computing commands
(``estimate``, ``allocate``, ``rank``) live in :mod:`target87.cli` and run without loading Django, so
they start in a fraction of the time; they never touch the database.
"""

from __future__ import annotations

import importlib
import os
import sys

#: commands answered by ``target87.cli.<module>.main(argv)`` without setting Django up
FAST_COMMANDS = {
    "estimate": "estimate",
    "allocate": "allocate",
    "rank": "rank",
    "cluster": "cluster",
    "progress": "progress",
}


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(list(sys.argv if argv is None else argv))
    except BrokenPipeError:
        # The reader of our output went away (``target87 rank … | head``): stop quietly, as Unix tools do.
        # Python would report the pipe again when it flushes stdout at exit; point stdout at nothing first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _run(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command in FAST_COMMANDS:
        module = importlib.import_module(f"target87.cli.{FAST_COMMANDS[command]}")
        return int(module.main(argv[2:]) or 0)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "target87.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Commands are spelled with dashes on the command line (load-demo), with underscores in Python.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "target87"
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:  # a setting is missing or wrong: say which, without a traceback
        print(f"target87: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
