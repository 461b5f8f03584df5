"""Text helpers the widgets share (no Qt needed, but only the UI uses them)."""

from __future__ import annotations

import unicodedata

from flexdesk.api.models import looks_like_email

__all__ = ["clean_input", "counted", "fold", "looks_like_email"]


def fold(text: str) -> str:
    """Lower-case without accents: "Müller" and "muller" fold alike, "Straße" to "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def counted(count: int, noun: str) -> str:
    """ "1 change", "3 changes": every noun the UI counts takes a plain -s."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_input(text: str) -> str:
    """What a single-line field keeps of typed or pasted text.

    Line breaks and tabs become spaces; other control characters and bidirectional
    overrides (which can make a name display as something else) are dropped.
    """
    return "".join(
        " " if ch in "\t\r\n" else ch
        for ch in text
        if ch in "\t\r\n" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    )
