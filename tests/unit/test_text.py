"""Folding for search and sorting: case and accents do not matter, nothing else is lost."""

from __future__ import annotations

import random
import unicodedata

import pytest

from flexdesk.listing.text import counted, fold


@pytest.mark.parametrize(("text", "folded"), [
    ("Müller", "muller"), ("Straße", "strasse"), ("ÓLAFSDÓTTIR", "olafsdottir"),
    ("Çelik & Zonen", "celik & zonen"), ("Joëlle", "joelle"), ("ﬁne", "fine"),
    ("J.Jansen@Ziggo.NL", "j.jansen@ziggo.nl"), ("+31 6 1234", "+31 6 1234"),
    ("عَبْد الله", "عبد الله"), ("", ""),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_drops_exactly_the_combining_marks_of_the_decomposition() -> None:
    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()

    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 12)))
        assert fold(text) == reference(text), ascii(text)


def test_counted() -> None:
    assert [counted(n, "change") for n in (0, 1, 2, 1500)] == [
        "0 changes", "1 change", "2 changes", "1,500 changes"]
