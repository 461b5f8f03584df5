"""Deterministic, varied customers: the same seed always gives the same people.

Everything comes from one `random.Random(seed)` (a `Dice`), drawn in a fixed order, so a seed
names a data set.
The documents are plain dicts in the API's camelCase wire shape (what `GET` returns), built
directly rather than through the pydantic models so that 100,000 of them take
about two seconds.
"""

from __future__ import annotations

import functools
import random
import re
import string
import time
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

from flexdesk.sandbox.seed_data import (
    COUNTRIES,
    CREATORS,
    DEVICE_PRICES,
    EMAIL_SPELLING,
    GERMAN_SPELLING,
    City,
    Country,
)

_ID_ALPHABET = string.ascii_lowercase + string.digits
_ID_BYTES = bytes(ord(_ID_ALPHABET[b % len(_ID_ALPHABET)]) for b in range(256))
_POSTCODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
_START_MS = int(datetime(2019, 1, 1, tzinfo=UTC).timestamp() * 1000)
_END_MS = int(datetime(2025, 6, 30, tzinfo=UTC).timestamp() * 1000)
_MONTH_MS = 30 * 24 * 3600 * 1000
_COUNTRY_TABLE = tuple(c for c in COUNTRIES for _ in range(c.weight))
_FINANCE_CONTACT = {"NL": "Financiële administratie", "DE": "Buchhaltung",
                    "US": "Accounts Payable", "QA": "Finance Department"}
_TAX_FIELD = {"NL": "vatNumber", "DE": "vatNumber", "US": "ein", "QA": "crNumber"}


_T = TypeVar("_T")


class SeedCustomer(NamedTuple):
    customer: dict[str, Any]  # the API document
    pending_orders: bool  # not in the API's shape: it only makes DELETE refuse


def generate_customers(count: int, *, seed: int = 1, tenant: str = "sandbox") -> list[SeedCustomer]:
    """`count` customers of `tenant`, the same list for the same seed."""
    return list(iter_customers(count, seed=seed, tenant=tenant))


def iter_customers(count: int, *, seed: int = 1, tenant: str = "sandbox") -> Iterator[SeedCustomer]:
    """The same customers as `generate_customers`, one at a time (storage seeds in batches)."""
    generator = _Generator(seed, tenant)
    for _ in range(count):
        yield generator.customer()


def iso_millis(ms: int) -> str:
    """Epoch milliseconds as the API's ISO 8601 UTC form, e.g. 2024-05-01T09:30:00.250Z."""
    seconds, millis = divmod(ms, 1000)
    return f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds))}.{millis:03d}Z"


@functools.lru_cache(maxsize=4096)
def ascii_fold(text: str, country_code: str = "") -> str:
    """Lower-case ASCII for email addresses and domains: Müller -> mueller, Zoë -> zoe."""
    if country_code == "DE":
        text = text.translate(GERMAN_SPELLING)
    decomposed = unicodedata.normalize("NFKD", text.translate(EMAIL_SPELLING))
    return decomposed.encode("ascii", "ignore").decode().lower()


@functools.lru_cache(maxsize=4096)
def _mail_name(name: str, country_code: str) -> str:
    """A name as it appears in an email address: O'Brien -> obrien, van 't Hof -> vanthof."""
    return re.sub(r"[^a-z0-9-]", "", ascii_fold(name, country_code))


class Dice(random.Random):
    """`random.Random` plus two shortcuts several times faster than `choice`/`randint`."""

    def pick(self, options: Sequence[_T]) -> _T:
        return options[int(self.random() * len(options))]

    def between(self, low: int, high: int) -> int:
        """An integer from low to high, both included."""
        return low + int(self.random() * (high - low + 1))


class _Generator:
    def __init__(self, seed: int, tenant: str) -> None:
        self.rng = Dice(seed)
        self.tenant = tenant
        self.ids: set[str] = set()
        self.emails: set[str] = set()
        self.next_suffix: dict[str, int] = {}  # wanted address -> next number to try

    def token(self, length: int) -> str:
        return self.rng.randbytes(length).translate(_ID_BYTES).decode()

    def customer(self) -> SeedCustomer:
        rng = self.rng
        country = rng.pick(_COUNTRY_TABLE)
        first, last = rng.pick(country.first_names), rng.pick(country.last_names)
        city = rng.pick(country.cities)
        business = rng.random() < 0.3
        company = rng.pick(country.company_forms).format(last=last, city=city.name) \
            if business else None
        inactive = rng.random() < 0.08
        created = rng.between(_START_MS, _END_MS)
        updated = created if rng.random() < 0.3 else rng.between(created, _END_MS)

        devices = [rng.between(1, 8 if business else 3)
                   for _ in range(rng.pick((1, 1, 1, 2, 2, 3, 4)))
                   ] if not inactive and rng.random() < 0.35 else []
        monthly = round(sum(n * rng.pick(DEVICE_PRICES) for n in devices), 2)
        orders = len(devices) + rng.pick((0, 0, 0, 1, 1, 2, 3, 5))
        pending = not inactive and rng.random() < 0.06
        orders = max(orders, 1) if pending else orders

        doc: dict[str, Any] = {"customerId": self.customer_id(), "tenantId": self.tenant}
        doc["email"] = self.email(first, last, country, company)
        doc["firstName"], doc["lastName"] = first, last
        if company is not None:
            doc["company"] = company
        if rng.random() < 0.94:
            doc["phone"] = phone(rng, country, city)
        doc["customerType"] = "business" if business else "individual"
        custom = self.custom_fields(country, business)
        if custom:
            doc["customFields"] = custom
        doc["totalOrders"] = orders
        doc["totalDevicesRented"] = sum(devices)
        doc["totalMonthlyRevenue"] = monthly
        doc["status"] = "inactive" if inactive else "active"
        doc["orderIds"] = ["ord_" + self.token(10) for _ in range(orders)]
        doc["rentalIds"] = ["rent_" + self.token(10) for _ in devices]
        contact = f"{first} {last}"
        billing_contact = _FINANCE_CONTACT[country.code] if business and rng.random() < 0.3 \
            else contact
        billing = address(rng, country, city, billing_contact, company)
        doc["lastBillingAddress"] = billing
        shipping_roll = rng.random()
        if shipping_roll < 0.55:
            doc["lastShippingAddress"] = dict(billing)
        elif shipping_roll < 0.9:
            doc["lastShippingAddress"] = address(rng, country, rng.pick(country.cities), contact,
                                                 company)
        doc["createdAt"], doc["updatedAt"] = iso_millis(created), iso_millis(updated)
        doc["createdBy"] = rng.pick(CREATORS)
        if orders:
            doc.update(self.money(created, monthly, len(devices), sum(devices), orders))
        return SeedCustomer(doc, pending)

    def customer_id(self) -> str:
        while (candidate := "cust_" + self.token(12)) in self.ids:
            pass  # a collision among 36**12 ids: draw again
        self.ids.add(candidate)
        return candidate

    def email(self, first: str, last: str, country: Country, company: str | None) -> str:
        rng = self.rng
        given, family = (_mail_name(name, country.code) for name in (first, last))
        local = rng.pick((f"{given}.{family}", f"{given}{family}", f"{given[0]}.{family}",
                            f"{given}_{family}", f"{family}.{given}",
                            f"{given}.{family}{rng.between(70, 99)}"))
        if company is not None:
            host = re.sub(r"[^a-z0-9]+", "-", ascii_fold(company, country.code)).strip("-")
            host = f"{host}.{country.tld}"
        else:
            host = rng.pick(country.mail_hosts)
        candidate = wanted = f"{local}@{host}"
        if wanted in self.emails:  # taken: the next free numbered variant, sanne.bakker2@...
            n = self.next_suffix.get(wanted, 2)
            while (candidate := f"{local}{n}@{host}") in self.emails:
                n += 1
            self.next_suffix[wanted] = n + 1
        self.emails.add(candidate)
        return candidate

    def custom_fields(self, country: Country, business: bool) -> dict[str, Any]:
        rng = self.rng
        if business and rng.random() < 0.6:
            digits = f"{rng.between(10**8, 10**9 - 1)}"
            tax = {"NL": f"NL{digits}B01", "DE": f"DE{digits}",
                   "US": f"{digits[:2]}-{digits[2:]}", "QA": digits[:6]}[country.code]
            return {_TAX_FIELD[country.code]: tax}
        if not business and rng.random() < 0.15:
            return {"newsletter": rng.random() < 0.5,
                    "referral": rng.pick(("friend", "search", "instagram", "podcast"))}
        return {}

    def money(self, created: int, monthly: float, rentals: int, devices: int,
              orders: int) -> dict[str, Any]:
        rng = self.rng
        months = max(1, (_END_MS - created) // _MONTH_MS)
        collected = monthly * months * rng.uniform(0.4, 1.0)
        collected += (orders - rentals) * rng.uniform(40, 900)
        cost = max(devices, orders) * rng.uniform(120, 650)
        margin = collected - cost
        return {
            "lifetimeCollected": round(collected, 2),
            "totalAcquisitionCost": round(cost, 2),
            "customerMargin": round(margin, 2),
            "customerMarginPercent": round(100 * margin / collected, 1) if collected else 0.0,
            "subscriptionsTracked": rentals + rng.between(0, orders - rentals),
        }


def phone(rng: Dice, country: Country, city: City) -> str:
    """A number in the country's usual grouping, with its international prefix."""
    mobile = rng.random() < 0.7
    code = country.code
    if code == "US":
        area = rng.pick(city.area_codes)
        return f"+1 ({area}) {rng.between(201, 989)}-{rng.between(0, 9999):04d}"
    if code == "QA":
        head = rng.pick(country.mobile_prefixes) + str(rng.between(0, 9)) if mobile else "44"
        return f"+974 {head}{rng.between(0, 99):02d} {rng.between(0, 9999):04d}"
    if code == "NL" and mobile:
        return f"+31 6 {rng.between(10**7, 10**8 - 1)}"
    if code == "NL":
        area = city.area_codes[0]
        return f"+31 {area} {rng.between(100, 999)} {rng.between(0, 9999):04d}"
    if mobile:  # DE
        return f"+49 {rng.pick(country.mobile_prefixes)} {rng.between(10**7, 10**8 - 1)}"
    area = city.area_codes[0]
    width = 10 - len(area)
    return f"+49 {area} {rng.between(10 ** (width - 1), 10**width - 1)}"


def address(rng: Dice, country: Country, city: City, contact: str,
            company: str | None) -> dict[str, Any]:
    """An address in the API's shape; optional parts are absent rather than null."""
    code = country.code
    street = rng.pick(country.streets)
    number = rng.between(1, 9999 if code == "US" else 220)
    result: dict[str, Any] = {"contactName": contact}
    if company is not None:
        result["company"] = company
    if code == "QA":
        result["buildingInfo"] = f"Building {rng.between(1, 300)}" if rng.random() < 0.6 \
            else rng.pick(country.building_infos)
        result["streetAddress"] = f"{street}, Zone {rng.between(1, 98)}"
    else:
        if rng.random() < 0.25:
            result["buildingInfo"] = rng.pick(country.building_infos)
        if code == "US":
            result["streetAddress"] = f"{number} {street}"
        else:
            suffix = rng.pick(("", "", "", "-H", " A", "-2", "a")) if code == "NL" else \
                rng.pick(("", "", "", "a", "b"))
            result["streetAddress"] = f"{street} {number}{suffix}"
    if city.localities and rng.random() < 0.8:
        result["locality"] = rng.pick(city.localities)
    result["city"] = city.name
    if city.admin_area is not None:
        result["adminArea"] = city.admin_area
    result.update(_postal_code(rng, code, city))
    result["country"] = country.name
    return result


def _postal_code(rng: Dice, code: str, city: City) -> dict[str, Any]:
    """{"postalCode": ...} in the country's format, or {} where the country has none."""
    if city.postal_range is None:
        # No postcodes in Qatar: sometimes null, sometimes absent.
        return {"postalCode": None} if rng.random() < 0.5 else {}
    if code == "NL":
        letters = rng.pick(_POSTCODE_LETTERS) + rng.pick(_POSTCODE_LETTERS)
        if letters in ("SA", "SD", "SS"):  # never issued in the Netherlands
            letters = "T" + letters[1]
        return {"postalCode": f"{rng.between(*city.postal_range)} {letters}"}
    return {"postalCode": f"{rng.between(*city.postal_range):05d}"}
