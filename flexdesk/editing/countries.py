"""The countries an address may name: ISO 3166-1 by its English name, as the API stores it.

The list is pycountry's (ISO 3166-1 as Debian's iso-codes keeps it), each country under its
common name where ISO has one ("Bolivia", "South Korea") and its short name otherwise
("Netherlands", "United States"). A code is only a way to type a name: `country_named`
turns "DE" or "deu" into Germany, `country_matches` ranks what a country field offers, and
`country_problem` words what is wrong with a value that names no country.

pycountry is imported on first use: its import alone costs tens of milliseconds that a start
of the app should not pay.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache

# ISO 3166's "exceptionally reserved" codes people type for these countries (UK for GB, EL
# for Greece): not assigned to anything else, so they can only mean these.
_RESERVED_CODES = {"UK": "GB", "EL": "GR"}


@dataclass(frozen=True, slots=True)
class Country:
    name: str  # what the API's `country` holds: "Germany"
    alpha2: str  # "DE": the key of the address rules
    alpha3: str  # "DEU"
    folded: str  # the name for matching: lower case, no accents ("cote d'ivoire")


def fold(text: str) -> str:
    """`text` for matching: accents dropped, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@cache
def all_countries() -> tuple[Country, ...]:
    """Every ISO 3166-1 country, by name."""
    import pycountry

    found = []
    for entry in pycountry.countries:
        name = getattr(entry, "common_name", None) or entry.name
        found.append(Country(name, entry.alpha_2, entry.alpha_3, fold(name)))
    return tuple(sorted(found, key=lambda country: country.folded))


@cache
def _index() -> dict[str, Country]:
    """Folded name, alpha-2 and alpha-3 (lower case) -> country."""
    index: dict[str, Country] = {}
    for country in all_countries():
        index[country.folded] = country
        index[country.alpha2.lower()] = country
        index[country.alpha3.lower()] = country
    for reserved, code in _RESERVED_CODES.items():
        index[reserved.lower()] = index[code.lower()]
    return index


@cache
def _by_name() -> dict[str, Country]:
    return {country.name: country for country in all_countries()}


def country_called(name: str) -> Country | None:
    """The country whose API name is exactly `name` (surrounding spaces aside), else None."""
    return _by_name().get(name.strip())


def country_named(text: str) -> Country | None:
    """The one country `text` names: its name in any case and with or without accents, or
    its ISO alpha-2 or alpha-3 code. None for anything else, a part of a name included."""
    return _index().get(fold(text))


def _rank(country: Country, query: str) -> int | None:
    """How well `country` answers what was typed (lower is better), None: not at all."""
    if query in (country.alpha2.lower(), country.alpha3.lower(), country.folded):
        return 0
    if country.folded.startswith(query):
        return 1
    words = country.folded.replace(",", " ").replace("(", " ").split()
    if any(word.startswith(query) for word in words):
        return 2
    if query in country.folded:
        return 3
    return None


def _ranked(text: str) -> list[tuple[int, Country]]:
    query = fold(text)
    if not query:
        return []
    ranked = []
    exact = _index().get(query)
    for country in all_countries():
        rank = 0 if country is exact else _rank(country, query)
        if rank is not None:
            ranked.append((rank, country))
    ranked.sort(key=lambda item: (item[0], item[1].folded))
    return ranked


def country_matches(text: str) -> list[Country]:
    """The countries a country field offers for `text`, best first.

    An exact code or name comes first ("DE": Germany before Denmark and Bangladesh), then
    names that start with the text, names with a word that does, and names that contain it.
    Accents and case do not matter.
    """
    return [country for _, country in _ranked(text)]


def closest_country(text: str) -> Country | None:
    """The country `text` most likely meant: the one it names, the only best offer for it
    ("Netherland"), or a near spelling ("Germnay"); None when nothing stands out."""
    named = country_named(text)
    if named is not None:
        return named
    ranked = _ranked(text)
    if ranked and (len(ranked) == 1 or ranked[1][0] > ranked[0][0]):
        return ranked[0][1]
    folded = {country.folded: country for country in all_countries()}
    near = difflib.get_close_matches(fold(text), list(folded), n=1, cutoff=0.8)
    return folded[near[0]] if near else None


def country_problem(value: str) -> str | None:
    """What is wrong with a `country` value, or None when it is a country's name.

    "Germnay: not a country — did you mean Germany?" An ISO code or a name in other letter
    case is a problem too: the API stores the name as written here, and the editor writes it
    so when the field is left.
    """
    text = value.strip()
    if not text or country_called(text) is not None:
        return None
    meant = closest_country(text)
    if meant is None:
        return f"{text}: not a country — choose one from the list"
    return f"{text}: not a country — did you mean {meant.name}?"
