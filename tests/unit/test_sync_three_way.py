"""The three-way check, field by field, and its agreement with `EditSession.conflicts`."""

from __future__ import annotations

import pytest

from flexdesk.editing import EditSession, values_from_customer
from flexdesk.sync import Decision, decide, plan
from tests.factories import make_customer


@pytest.mark.parametrize(
    ("base", "mine", "now", "expected"),
    [
        ("Ann", "Anna", "Ann", Decision.SEND),  # nobody else touched it
        ("Ann", "Anna", "Anna", Decision.ALREADY_THERE),  # a colleague (or we) put it there
        ("Ann", "Anna", "Anne", Decision.CONFLICT),  # a colleague changed it otherwise
        ("Ann", "Ann", "Anne", Decision.CONFLICT),  # untouched here, but this save writes it
        ("Ann", "Ann", "Ann", Decision.ALREADY_THERE),
        ("Ann", " Anna ", "Anna", Decision.ALREADY_THERE),  # whitespace is no difference
        (" Ann", "Anna", "Ann\t", Decision.SEND),
        ("", "+31 6", "", Decision.SEND),
        ("+31 6", "", "", Decision.ALREADY_THERE),  # both cleared it
        ("+31 6", "", "+31 7", Decision.CONFLICT),
    ],
)
def test_one_field(base: str, mine: str, now: str, expected: Decision) -> None:
    assert decide(base, mine, now) is expected


def test_a_plan_keeps_the_order_and_sorts_the_paths() -> None:
    base = {"firstName": "Ann", "lastName": "Lee", "phone": "1"}
    mine = {"firstName": "Anna", "lastName": "Li", "phone": "2"}
    now = {"firstName": "Ann", "lastName": "Li", "phone": "3"}
    decisions = plan(base, mine, now, ["phone", "firstName", "lastName"])
    assert decisions.decisions == (("phone", Decision.CONFLICT), ("firstName", Decision.SEND),
                                   ("lastName", Decision.ALREADY_THERE))
    assert decisions.to_send == ("firstName",)
    assert decisions.already_there == ("lastName",)
    assert decisions.conflicts == ("phone",)


def test_paths_not_asked_about_are_not_decided() -> None:
    decisions = plan({"phone": "1"}, {"phone": "1"}, {"phone": "2"}, [])
    assert decisions.decisions == ()


def test_a_colleagues_change_to_another_field_of_an_address_we_send_whole_conflicts() -> None:
    base = make_customer(1)
    now = make_customer(1, lastBillingAddress={**base.model_dump(mode="json")[
        "lastBillingAddress"], "streetAddress": "Other 2"})
    session = EditSession(base, {"billingAddress.city": "Utrecht"})
    decisions = plan(values_from_customer(base), session.values, values_from_customer(now),
                     session.sent_paths)
    assert decisions.conflicts == ("billingAddress.streetAddress",)
    assert decisions.to_send == ("billingAddress.city",)
    assert decisions.conflicts == session.conflicts(now)
