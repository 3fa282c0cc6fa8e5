"""Which language cnnlab speaks: English (the source) or Vietnamese, with Python's gettext.

What a learner reads from cnnlab itself (exercise feedback and hints, widget labels and the
messages widgets show in place of a picture, progress-bar descriptions, the formulas' error
messages) goes through :func:`tr`. English is the default and the source text; the Vietnamese
catalogue is ``cnnlab/locale/vi/LC_MESSAGES/cnnlab.po`` (compiled to ``cnnlab.mo`` beside
it), extracted with Babel (``pybabel extract -F babel.cfg``) the way Python projects
translate. Choose the language once, at the top of a lesson::

    cnnlab.set_language("vi")      # or CNNLAB_LANG=vi in the environment

Messages carry ``{name}`` placeholders filled after translation
(``tr("got {n}").format(n=n)``), so a translation can put them in its own word order. Used by
every lesson; the Vietnamese edition (notebooks/vi/) sets "vi".

>>> set_language("en"); tr("Correct {what}.").format(what="answer")
'Correct answer.'
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

#: The languages cnnlab speaks: English (the source text) and Vietnamese.
LANGUAGES = ("en", "vi")
LOCALE = Path(__file__).with_name("locale")
DOMAIN = "cnnlab"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    """Make cnnlab speak ``language`` ("en" or "vi") from now on, in this process.

    Widgets and messages made afterwards use it; a widget built before keeps its labels.
    """
    global _translation, _language
    if not isinstance(language, str) or language.lower() not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(repr(lang) for lang in LANGUAGES)}, got "
            f"{language!r}"
        )
    language = language.lower()
    if language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE, languages=[language])
    _language = language


def get_language() -> str:
    """The language cnnlab speaks now: "en" or "vi"."""
    return _language


def tr(message: str) -> str:
    """``message`` in the current language (the English source when it has no translation)."""
    return _translation.gettext(message)


class Messages(Mapping):
    """A module's table of messages, read in the language of the moment.

    ``make`` is a function whose body builds the table with ``tr`` (so Babel finds every
    message), called once per language, the first time the table is read in it::

        HINTS = Messages(lambda: {"stride": tr("You forgot the stride.")})

    A table of plain ``tr`` calls at module level would be translated once, at import.
    """

    def __init__(self, make):
        self._make = make
        self._tables: dict = {}

    def _table(self) -> dict:
        if _language not in self._tables:
            self._tables[_language] = self._make()
        return self._tables[_language]

    def __getitem__(self, key):
        return self._table()[key]

    def __iter__(self):
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __repr__(self) -> str:
        return repr(self._table())


# The environment chooses the starting language (CNNLAB_LANG=vi), so a Vietnamese JupyterLab
# or test run needs no code change; an unknown value is an error, not a silent English.
if os.environ.get("CNNLAB_LANG"):
    set_language(os.environ["CNNLAB_LANG"])
