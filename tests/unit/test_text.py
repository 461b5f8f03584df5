"""Folding for search and sorting: case and accents do not matter, nothing else is lost."""

from __future__ import annotations

import random
import unicodedata

import pytest

from flexdesk.listing.columns import search_key
from flexdesk.listing.text import counted, fold, search_forms
from tests.factories import make_customer


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


def test_a_phone_number_is_found_by_its_digits_in_any_usual_spelling() -> None:
    key = search_key(make_customer(1, phone="+31 6 8237 4041"))
    for typed in ("0682374041", "682374041", "+31682374041", "8237 4041", "0031682374041",
                  "2374041", "+31 6 8237 4041"):
        assert any(form in key for form in search_forms(fold(typed))), typed
    assert not any(form in key for form in search_forms("0682374042"))
    assert search_forms("jansen") == ("jansen",)  # words are searched as they are
