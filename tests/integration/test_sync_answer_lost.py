"""A PUT applied on the server whose answer never came back, and what sync does about it.

The sandbox applies the PUT, runs the test's callback (a colleague saving, at exactly that
moment), and closes the connection unanswered. A blind re-send would now overwrite the
colleague; sync must read the record again and decide from what the server holds.
"""

from __future__ import annotations

from typing import Any

import pytest

from flexdesk.sandbox import Faults
from flexdesk.store import DraftState
from flexdesk.sync import Outcome
from tests.integration.conftest import Desk


def puts(desk: Desk) -> list[tuple[int, Any]]:
    """(status, body) of every PUT the sandbox received; ANSWER_LOST marks one applied and
    left unanswered."""
    return [(r.status, r.body) for r in desk.sandbox.requests if r.method == "PUT"]


def lose_the_put(desk: Desk, colleague_saves: dict[str, Any] | None = None) -> None:
    """The next sync's GET is answered, its PUT applied and its answer lost; meanwhile the
    colleague saves `colleague_saves` (API names) on the same customer."""
    customer_id = desk.customers[0].customer_id

    def colleague() -> None:
        if colleague_saves is not None:
            desk.colleague.update_customer(customer_id, colleague_saves)

    desk.sandbox.clear_requests()
    desk.sandbox.faults.script(200)
    desk.sandbox.faults.lose_answer(then=colleague)


def test_a_colleagues_save_of_the_same_field_in_the_gap_is_kept_and_reported(
        desk: Desk) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"firstName": "Mine"})
    lose_the_put(desk, {"firstName": "Theirs"})
    [result] = desk.send()
    assert (result.outcome, result.conflicts) == (Outcome.CONFLICT, ("firstName",))
    assert result.customer is not None and result.customer.first_name == "Theirs"
    assert desk.client.get_customer(mine.customer_id).first_name == "Theirs"
    # Ours was applied and lost; the colleague's came after; nothing of ours was sent again.
    body = {"customerId": mine.customer_id, "firstName": "Mine"}
    assert puts(desk) == [(Faults.ANSWER_LOST, body),
                          (200, {"customerId": mine.customer_id, "firstName": "Theirs"})]
    draft = desk.draft(mine.customer_id)
    assert (draft.state, draft.edits) == (DraftState.CONFLICT, {"firstName": "Mine"})


def test_a_lost_answer_with_nobody_else_saving_is_a_success_with_one_put(desk: Desk) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"firstName": "Mine", "phone": "+31 6 1111 2222"})
    lose_the_put(desk)
    [result] = desk.send()
    assert result.outcome is Outcome.SENT
    assert result.customer is not None and result.customer.first_name == "Mine"
    assert puts(desk) == [(Faults.ANSWER_LOST, {"customerId": mine.customer_id,
                                                "firstName": "Mine",
                                                "phone": "+31 6 1111 2222"})]
    assert desk.store.get_draft(desk.here, mine.customer_id) is None


def test_a_colleagues_save_of_another_field_in_the_gap_is_kept_beside_mine(desk: Desk) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"firstName": "Mine"})
    lose_the_put(desk, {"phone": "+31 6 5555 0000"})
    [result] = desk.send()
    assert result.outcome is Outcome.SENT
    now = desk.client.get_customer(mine.customer_id)
    assert (now.first_name, now.phone) == ("Mine", "+31 6 5555 0000")
    assert [status for status, _ in puts(desk)] == [Faults.ANSWER_LOST, 200]
    assert desk.store.get_draft(desk.here, mine.customer_id) is None


def test_a_colleagues_later_change_in_the_same_address_is_not_a_conflict_once_mine_landed(
        desk: Desk) -> None:
    mine = desk.customers[0]
    assert mine.last_billing_address is not None
    desk.start_draft(mine, {"billingAddress.city": "Leiden"})
    theirs = mine.last_billing_address.model_dump(mode="json") | {"city": "Leiden",
                                                                   "streetAddress": "Theirs 1"}
    lose_the_put(desk, {"billingAddress": theirs})
    [result] = desk.send()
    assert result.outcome is Outcome.SENT  # my city is there; their street is not mine to undo
    billing = desk.client.get_customer(mine.customer_id).last_billing_address
    assert billing is not None and (billing.city, billing.street_address) == ("Leiden",
                                                                              "Theirs 1")
    assert len(puts(desk)) == 2


@pytest.mark.parametrize("fault", [502, 504, Faults.DROP])
def test_a_put_lost_before_it_was_applied_is_sent_again_after_a_fresh_read(
        desk: Desk, fault: int) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"lastName": "Again"})
    desk.sandbox.clear_requests()
    desk.sandbox.faults.script(200, fault)
    [result] = desk.send()
    assert result.outcome is Outcome.SENT
    body = {"customerId": mine.customer_id, "lastName": "Again"}
    assert puts(desk) == [(fault, body), (200, body)]
    assert [r.method for r in desk.sandbox.requests] == ["GET", "PUT", "GET", "PUT"]
    assert desk.client.get_customer(mine.customer_id).last_name == "Again"


def test_answers_lost_again_and_again_leave_the_draft_queued_after_three_puts(
        desk: Desk) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"lastName": "Patient"})
    desk.sandbox.clear_requests()
    desk.sandbox.faults.script(200, 504, 200, 504, 200, 504)
    [result] = desk.send()
    assert result.outcome is Outcome.OFFLINE and result.outcome.stays_queued
    assert "did not confirm" in result.reason
    assert [status for status, _ in puts(desk)] == [504, 504, 504]
    assert desk.draft(mine.customer_id).state is DraftState.QUEUED
    [result] = desk.send()  # the server is back
    assert result.outcome is Outcome.SENT
    assert desk.client.get_customer(mine.customer_id).last_name == "Patient"


def test_a_lost_answer_and_no_way_to_read_again_waits_for_the_next_run(desk: Desk) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"lastName": "Landed"})
    lose_the_put(desk)
    desk.sandbox.faults.drop_next(desk.client.retry.attempts)  # every try of the re-read
    [result] = desk.send()
    assert result.outcome is Outcome.OFFLINE
    assert desk.draft(mine.customer_id).state is DraftState.QUEUED
    desk.sandbox.clear_requests()
    [result] = desk.send()
    assert result.outcome is Outcome.ALREADY_THERE  # the lost PUT had landed
    assert puts(desk) == []
