"""Properties of the conflict check, for any base, edits and server-now.

Values come from small pools (with whitespace variants) so that the interesting cases, equal
and unequal on each side, come up often.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from flexdesk.api.models import Customer
from flexdesk.editing import READ_NAMES, EditSession, normalise, split_path, values_from_customer
from flexdesk.store import Draft
from flexdesk.sync import Decision, Outcome, decide, plan, sync_draft
from tests.factories import make_customer
from tests.unit.test_sync_sender import CONNECTION, FakeApi

PROPERTIES = settings(max_examples=150, deadline=None)

VALUE = st.sampled_from(["", "Ann", " Ann ", "Anna", "Bob", "Bob\t"])


@PROPERTIES
@given(VALUE, VALUE, VALUE)
def test_decisions(base: str, mine: str, now: str) -> None:
    decision = decide(base, mine, now)
    b, m, n = normalise(base), normalise(mine), normalise(now)
    if n not in (b, m):  # the server moved away from the base, to something not ours
        assert decision is Decision.CONFLICT
    if n == m:  # the server already holds it
        assert decision is Decision.ALREADY_THERE
    if decision is Decision.SEND:  # only over the value the edit started from
        assert n == b != m


# -- whole records, through EditSession and the sync step ---------------------------------

# Paths of a record this test varies, each with a pool of values valid for it.
NAMES = st.sampled_from(["Ann", " Ann", "Bob", "Cleo"])
OPTIONAL = st.sampled_from(["", "Ann", "Bob ", "Cleo"])
POOLS: dict[str, st.SearchStrategy[str]] = {
    "firstName": NAMES,
    "lastName": NAMES,
    "phone": OPTIONAL,
    "company": OPTIONAL,
    "billingAddress.contactName": NAMES,
    "billingAddress.city": NAMES,
    "billingAddress.postalCode": OPTIONAL,
    "billingAddress.buildingInfo": OPTIONAL,
    "shippingAddress.city": NAMES,
}


def values() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional=POOLS)


def customer(overrides: dict[str, str]) -> Customer:
    """Customer 1 with `overrides` (write paths) applied, both addresses present."""
    raw: dict[str, Any] = make_customer(1).model_dump(mode="json")
    raw["lastShippingAddress"] = {"contactName": "Ship", "streetAddress": "Quay 2",
                                  "city": "Delft", "country": "Netherlands"}
    for path, value in overrides.items():
        group, field = split_path(path)
        target = raw if group == "contact" else raw[READ_NAMES[group]]
        target[field] = value or None
    return Customer.model_validate(raw)


@PROPERTIES
@given(values(), values(), values())
def test_the_plan_agrees_with_the_edit_session(base_changes: dict[str, str],
                                               edits: dict[str, str],
                                               server_changes: dict[str, str]) -> None:
    base, now = customer(base_changes), customer({**base_changes, **server_changes})
    session = EditSession(base, edits)
    decisions = plan(values_from_customer(base), session.values, values_from_customer(now),
                     session.sent_paths)
    assert decisions.conflicts == session.conflicts(now)


@PROPERTIES
@given(values(), values(), values())
def test_a_colleagues_change_survives_a_sync(base_changes: dict[str, str],
                                                      edits: dict[str, str],
                                                      server_changes: dict[str, str]) -> None:
    base, now = customer(base_changes), customer({**base_changes, **server_changes})
    api = FakeApi([now])
    result = sync_draft(api, Draft.of(CONNECTION, base, edits))
    before, mine = values_from_customer(base), EditSession(base, edits).values
    after = values_from_customer(api.customer(now.customer_id))
    server = values_from_customer(now)
    if result.outcome is not Outcome.SENT:
        assert api.puts == []
        assert after == server
    for path, value in server.items():
        # A colleague's change, to a field we left alone or changed to something else: it
        # stands, whatever was sent (a field we left alone is never overwritten).
        if normalise(value) not in (normalise(before[path]), normalise(mine[path])):
            assert normalise(after[path]) == normalise(value), path
        if normalise(value) == normalise(mine[path]):
            for body in api.puts:  # already there: never part of a body's contact fields
                assert path not in body
    if result.outcome is Outcome.SENT:
        for path in server:  # what was sent is what the form showed
            if normalise(mine[path]) != normalise(before[path]):
                assert normalise(after[path]) == normalise(mine[path]), path
