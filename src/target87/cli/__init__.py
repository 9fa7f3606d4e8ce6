"""Commands that run without loading Django, so they start fast.

Each module here exposes ``main(argv: list[str]) -> int``; ``target87 <name>`` dispatches to it. They share how
they refuse: one clear line on stderr and exit status 2 (:data:`EXIT_BAD_INPUT`), never a traceback.
"""

from __future__ import annotations

import argparse

#: the exit status of a command given bad arguments or bad input, as argparse's own
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Arguments the command cannot take; its message says which."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises :class:`UsageError` instead of exiting, so ``main()`` returns the status."""

    def error(self, message: str):
        raise UsageError(message)
