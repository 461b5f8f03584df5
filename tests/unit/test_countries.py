"""The country list: names as the API stores them, codes as a way to type them."""

from __future__ import annotations

import pytest

from flexdesk.editing.countries import (
    all_countries,
    country_called,
    country_matches,
    country_named,
    country_problem,
)
from flexdesk.sandbox.seed_data import COUNTRIES


def names(text: str) -> list[str]:
    return [country.name for country in country_matches(text)]


def test_every_iso_country_is_there_once_with_its_codes() -> None:
    countries = all_countries()
    assert len(countries) == 249
    assert len({c.name for c in countries}) == len({c.alpha2 for c in countries}) == 249
    germany = country_called("Germany")
    assert germany is not None and (germany.alpha2, germany.alpha3) == ("DE", "DEU")


def test_the_names_the_sandbox_and_its_records_use_are_countries() -> None:
    for country in COUNTRIES:
        found = country_called(country.name)
        assert found is not None and found.alpha2 == country.code
        assert country_problem(country.name) is None


@pytest.mark.parametrize("typed", ["DE", "de", "DEU", "deu", "Germany", "GERMANY", " germany "])
def test_a_code_or_the_name_in_any_case_names_the_country(typed: str) -> None:
    named = country_named(typed)
    assert named is not None and named.name == "Germany"


def test_parts_of_names_name_nothing() -> None:
    assert country_named("Germ") is None and country_named("Holland") is None


def test_an_exact_code_ranks_first() -> None:
    assert names("DE")[:2] == ["Germany", "Denmark"]
    assert names("de").index("Bangladesh") > names("de").index("Denmark")
    assert names("NL")[0] == "Netherlands" and names("USA") == ["United States"]
    assert names("UK")[0] == "United Kingdom"  # ISO reserves UK for it


def test_names_match_in_any_part_with_accents_ignored() -> None:
    assert names("therla") == ["Netherlands"]
    assert names("cote") == ["Côte d'Ivoire"]
    assert names("turkiye") == ["Türkiye"] and names("TÜRK")[0] == "Türkiye"
    assert names("korea") == ["North Korea", "South Korea"]
    kingdom = names("kingdom")
    assert kingdom[0] == "United Kingdom"  # a word that starts so, before a mere part
    assert names("") == [] and names("zzz") == []


def test_starting_with_the_text_ranks_before_containing_it() -> None:
    found = names("an")
    assert found.index("Andorra") < found.index("Afghanistan")


@pytest.mark.parametrize(("typed", "problem"), [
    ("Germany", None),
    ("", None),
    ("Germnay", "Germnay: not a country — did you mean Germany?"),
    ("DE", "DE: not a country — did you mean Germany?"),
    ("germany", "germany: not a country — did you mean Germany?"),
    ("Netherland", "Netherland: not a country — did you mean Netherlands?"),
    ("Untied States", "Untied States: not a country — did you mean United States?"),
    ("Holland", "Holland: not a country — choose one from the list"),
    ("korea", "korea: not a country — choose one from the list"),
])
def test_a_value_that_is_no_country_says_which_was_meant(typed: str, problem: str | None) -> None:
    assert country_problem(typed) == problem
