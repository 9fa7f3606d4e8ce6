"""Translation for the engines and the fast commands, without importing Django.

Engines mark their user-facing messages with ``_()`` (``gettext``) so that ``makemessages`` finds them
in the project's catalogues. Outside Django the messages are translated with the standard library's
``gettext`` and the same compiled catalogues, in the language of the environment (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``). Inside Django the web layer installs Django's own functions with
:func:`use`, so a message follows the language of the request that triggered it.
"""

from __future__ import annotations

import gettext as _stdlib_gettext
from collections.abc import Callable
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "django"

_gettext: Callable[[str], str] | None = None
_ngettext: Callable[[str, str, int], str] | None = None


def _load_stdlib() -> None:
    global _gettext, _ngettext
    catalogue = _stdlib_gettext.translation(DOMAIN, localedir=LOCALE_DIR, fallback=True)
    _gettext, _ngettext = catalogue.gettext, catalogue.ngettext


def use(gettext_func: Callable[[str], str], ngettext_func: Callable[[str, str, int], str]) -> None:
    """Route the engines' messages through other translation functions (Django's, in the web layer)."""
    global _gettext, _ngettext
    _gettext, _ngettext = gettext_func, ngettext_func


def gettext(message: str) -> str:
    if _gettext is None:
        _load_stdlib()
    assert _gettext is not None
    return _gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _ngettext is None:
        _load_stdlib()
    assert _ngettext is not None
    return _ngettext(singular, plural, n)


_ = gettext
