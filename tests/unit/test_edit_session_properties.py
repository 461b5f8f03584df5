"""Properties of the PUT body, for any base record and any sequence of edits.

Whatever the user does, the body says exactly what changed (addresses whole), a server applying
it ends up holding what the form shows, and the contract accepts it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flexdesk.api.errors import ValidationFailed
from flexdesk.api.models import Customer
from flexdesk.editing import (
    ADDRESS_FIELDS,
    ADDRESS_GROUPS,
    BILLING,
    CONTACT,
    CONTACT_FIELDS,
    FIELD_ORDER,
    READ_NAMES,
    REQUIRED_ADDRESS_FIELDS,
    SHIPPING,
    EditSession,
    apply_body,
    group_of,
    normalise,
    paths_in,
    values_from_customer,
)
from tests.contract.schemas import schema_validator

UPDATE_SCHEMA = schema_validator("CustomerUpdate")
PROPERTIES = settings(max_examples=100, deadline=None)
# The contact fields a Customer read model cannot do without.
NEEDED = frozenset({"email", "firstName", "lastName", "customerType", "status"})

# -- strategies: realistic-ish text, with the whitespace and diacritics a paste brings ------

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éëïöüçñßøåÉÖÜłş'-.,/"
PADDING = st.sampled_from(["", "", " ", "  ", "\t", "\n", "\u00a0"])
WORD = st.text(alphabet=LETTERS, min_size=1, max_size=14).filter(str.strip)


def padded(core: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda left, text, right: left + text + right, PADDING, core, PADDING)


NON_BLANK = padded(WORD)
ANY_TEXT = st.one_of(st.just(""), PADDING, NON_BLANK)
# Server data is mostly sound; now and then a required field is blank.
MOSTLY_NON_BLANK = st.integers(0, 29).flatmap(lambda n: st.just("") if n == 0 else NON_BLANK)
EMAIL = padded(
    st.builds(
        "{}@{}.{}".format,
        st.from_regex(r"[a-z0-9._+-]{1,10}", fullmatch=True),
        st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True),
        st.sampled_from(["nl", "de", "com", "qa"]),
    )
)
CUSTOMER_TYPE = st.sampled_from(["individual", "business"])
STATUS = st.sampled_from(["active", "inactive"])

# What the form may hold in each field once the user is done: valid values, plus blanks
# wherever blank is allowed.
VALID: dict[str, st.SearchStrategy[str]] = {
    "firstName": NON_BLANK,
    "lastName": NON_BLANK,
    "email": EMAIL,
    "phone": ANY_TEXT,
    "company": ANY_TEXT,
    "customerType": CUSTOMER_TYPE,
    "status": STATUS,
    **{
        path: NON_BLANK if path.split(".")[1] in REQUIRED_ADDRESS_FIELDS else ANY_TEXT
        for path in paths_in(BILLING) + paths_in(SHIPPING)
    },
}
# Anything at all, to check that what validation lets through the contract accepts.
ANYTHING = st.one_of(ANY_TEXT, st.text(max_size=12), EMAIL, CUSTOMER_TYPE, STATUS)


@st.composite
def addresses(draw: st.DrawFn) -> dict[str, Any] | None:
    if draw(st.booleans()):
        return None
    address = {field: draw(MOSTLY_NON_BLANK) for field in REQUIRED_ADDRESS_FIELDS}
    for field in set(ADDRESS_FIELDS) - set(REQUIRED_ADDRESS_FIELDS):
        value = draw(st.none() | ANY_TEXT)
        if value is not None:
            address[field] = value
    return address


@st.composite
def customers(draw: st.DrawFn) -> Customer:
    """A record as a server might hold it, including untouched data that would not validate."""
    raw: dict[str, Any] = {
        "customerId": draw(st.from_regex(r"cust_[a-z0-9]{1,8}", fullmatch=True)),
        "tenantId": "t",
        "email": draw(EMAIL | MOSTLY_NON_BLANK),
        "firstName": draw(MOSTLY_NON_BLANK),
        "lastName": draw(MOSTLY_NON_BLANK),
        "customerType": draw(CUSTOMER_TYPE),
        "status": draw(STATUS),
        "totalOrders": 0,
        "totalDevicesRented": 0,
        "totalMonthlyRevenue": 0,
        "orderIds": [],
        "rentalIds": [],
        "createdBy": "api",
    }
    for field in ("phone", "company"):
        value = draw(st.none() | ANY_TEXT)
        if value is not None:
            raw[field] = value
    for group in ADDRESS_GROUPS:
        address = draw(addresses())
        if address is not None:
            raw[READ_NAMES[group]] = address
    return Customer.model_validate(raw)


def operations(values: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[tuple[str, ...]]:
    """One thing the user does: type into a field, revert it, copy or fill in an address."""
    typing = st.sampled_from(FIELD_ORDER).flatmap(
        lambda path: st.tuples(st.just("set"), st.just(path), values[path])
    )
    revert = st.tuples(st.just("revert"), st.sampled_from(FIELD_ORDER))
    copy = st.tuples(st.just("copy"), st.sampled_from(ADDRESS_GROUPS))
    fill = st.sampled_from(ADDRESS_GROUPS).flatmap(
        lambda group: st.tuples(
            st.just("fill"), st.just(group), *(values[path] for path in paths_in(group))
        )
    )
    return st.one_of(typing, typing, typing, revert, copy, fill)


def perform(session: EditSession, ops: list[tuple[str, ...]]) -> None:
    for op in ops:
        if op[0] == "set":
            session.set(op[1], op[2])
        elif op[0] == "revert":
            session.revert(op[1])
        elif op[0] == "fill":  # a whole address typed in, as for a new one
            for path, value in zip(paths_in(op[1]), op[2:], strict=True):
                session.set(path, value)
        else:
            source = op[1]
            session.copy_address(source, SHIPPING if source == BILLING else BILLING)


def customer_from_values(customer_id: str, values: dict[str, str]) -> Customer:
    """The record a server would answer with after a save, from its field values."""
    raw: dict[str, Any] = {
        "customerId": customer_id,
        "tenantId": "t",
        "totalOrders": 0,
        "totalDevicesRented": 0,
        "totalMonthlyRevenue": 0,
        "orderIds": [],
        "rentalIds": [],
        "createdBy": "api",
        **{field: values[field] for field in CONTACT_FIELDS if values[field] or field in NEEDED},
    }
    for group in ADDRESS_GROUPS:
        address = {field: values[f"{group}.{field}"] for field in ADDRESS_FIELDS}
        if any(address.values()):
            raw[READ_NAMES[group]] = {
                field: value
                for field, value in address.items()
                if value or field in REQUIRED_ADDRESS_FIELDS
            }
    return Customer.model_validate(raw)


def merge_body(values: dict[str, str], body: dict[str, Any]) -> dict[str, str]:
    """Like `apply_body`, for a server that merges an address instead of replacing it."""
    result = dict(values)
    for key, value in body.items():
        if key in ADDRESS_GROUPS:
            for field, text in value.items():
                result[f"{key}.{field}"] = text or ""
        elif key in CONTACT_FIELDS:
            result[key] = value
    return result


# -- properties -----------------------------------------------------------------------------


@PROPERTIES
@given(base=customers(), ops=st.lists(operations(VALID), max_size=12))
def test_the_body_is_exactly_what_changed_and_the_contract_takes_it(
    base: Customer, ops: list[tuple[str, ...]]
) -> None:
    session = EditSession(base)
    perform(session, ops)
    assume(not session.validate())  # untouched bad server data inside a dirty address

    body = session.build_update().to_body()
    dirty = session.dirty_paths
    dirty_groups = {group_of(path) for path in dirty} - {CONTACT}

    # (a) customerId, the dirty top-level fields and the addresses with a dirty field.
    assert set(body) == (
        {"customerId"} | {path for path in dirty if group_of(path) == CONTACT} | dirty_groups
    )
    assert body["customerId"] == base.customer_id
    # (b) every address goes whole.
    for group in dirty_groups:
        assert set(REQUIRED_ADDRESS_FIELDS) <= set(body[group])
        assert all(normalise(body[group][field]) for field in REQUIRED_ADDRESS_FIELDS)
    # (c) a server applying the body holds what the form shows, whether it replaces the
    # addresses it receives or merges them.
    before = values_from_customer(base)
    for after in (apply_body(before, body), merge_body(before, body)):
        for path in FIELD_ORDER:
            assert normalise(after[path]) == normalise(session.value(path)), path
    # (d) the contract accepts it.
    UPDATE_SCHEMA.validate(body)


@PROPERTIES
@given(base=customers(), ops=st.lists(operations(VALID), max_size=12))
def test_after_a_save_the_record_is_clean_and_a_draft_restores_it(
    base: Customer, ops: list[tuple[str, ...]]
) -> None:
    session = EditSession(base)
    perform(session, ops)
    assume(not session.validate())

    restored = EditSession(base, session.edits)
    assert restored.dirty_paths == session.dirty_paths
    assert restored.build_update() == session.build_update()

    sent = session.edits
    body = session.build_update().to_body()
    answer = customer_from_values(base.customer_id, apply_body(values_from_customer(base), body))
    session.rebase(answer, sent)
    assert not session.is_dirty_any


@PROPERTIES
@given(
    base=customers(),
    ops=st.lists(operations(dict.fromkeys(FIELD_ORDER, ANYTHING)), max_size=12),
)
def test_whatever_is_typed_either_is_refused_by_field_or_the_contract_accepts_it(
    base: Customer, ops: list[tuple[str, ...]]
) -> None:
    session = EditSession(base)
    perform(session, ops)
    problems = session.validate()
    try:
        body = session.build_update().to_body()
    except ValidationFailed as refused:
        assert problems
        assert refused.field_errors == problems
        assert set(problems) <= set(FIELD_ORDER)
    else:
        assert not problems
        UPDATE_SCHEMA.validate(body)
