"""Text helpers the widgets share (no Qt needed, but only the UI uses them)."""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fold(text: str) -> str:
    """Lower-case without accents: "Müller" and "muller" fold alike, "Straße" to "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def looks_like_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))
