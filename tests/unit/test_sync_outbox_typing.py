"""`send_outbox` while the user types: a keystroke lands before a draft is taken (and goes
out with it) or after (and stays a draft); a save never drops out of the queue for having
been typed into, and a verdict lands only on the edits it is about."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.api.errors import ServerError
from flexdesk.api.models import Customer, CustomerUpdate
from flexdesk.store import Draft, DraftState, Store
from flexdesk.sync import Outcome, SyncResult, send_outbox
from tests.factories import make_customer
from tests.unit.test_sync_outbox import an_hour_on, queue, states
from tests.unit.test_sync_sender import CONNECTION, FakeApi


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "drafts.db") as opened:
        yield opened


@pytest.fixture
def api() -> FakeApi:
    return FakeApi([make_customer(n) for n in range(1, 5)])


def test_typing_during_the_send_keeps_the_draft(store: Store, api: FakeApi,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    queue(store, 1, 10.0)
    original = api.update_customer

    def put_while_the_user_types(customer_id: str, changes: CustomerUpdate) -> Customer:
        store.save_draft(Draft.of(CONNECTION, make_customer(1), {"firstName": "New1 more"}))
        return original(customer_id, changes)

    monkeypatch.setattr(api, "update_customer", put_while_the_user_types)
    results = send_outbox(store, api, CONNECTION)
    assert [r.outcome for r in results] == [Outcome.SENT]
    kept = store.get_draft(CONNECTION, "cust_0001")
    assert kept is not None
    assert (kept.edits, kept.state) == ({"firstName": "New1 more"}, DraftState.EDITING)
    # On the server's answer now, as its editor would put it: saving it is no conflict.
    assert kept.base_customer() == api.customer("cust_0001")


def test_a_save_typed_into_during_a_send_that_failed_stays_in_line_with_the_new_edits(
        store: Store, api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    queue(store, 1, 10.0)

    def get_while_the_user_types(customer_id: str) -> Customer:
        # The keeper writes a draft typed into while it is being sent as being edited.
        store.save_draft(Draft.of(CONNECTION, make_customer(1), {"firstName": "Other"}))
        raise ServerError("Service unavailable", status=503)

    monkeypatch.setattr(api, "get_customer", get_while_the_user_types)
    [result] = send_outbox(store, api, CONNECTION)
    assert (result.outcome, result.edits) == (Outcome.RETRY_LATER, {"firstName": "New1"})
    # The user saved it, so it does not drop out of the queue for having been typed into.
    [waiting] = store.outbox(CONNECTION)
    assert (waiting.edits, waiting.state) == ({"firstName": "Other"}, DraftState.QUEUED)
    monkeypatch.undo()
    [result] = send_outbox(store, api, CONNECTION, clock=an_hour_on)
    assert (result.outcome, api.customer("cust_0001").first_name) == (Outcome.SENT, "Other")


def test_a_verdict_does_not_land_on_a_draft_typed_into_since(
        store: Store, api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    queue(store, 1, 10.0)
    api.change("cust_0001", firstName="Colleague")
    original = api.get_customer

    def get_while_the_user_types(customer_id: str) -> Customer:
        store.save_draft(Draft.of(CONNECTION, make_customer(1), {"lastName": "Other"}))
        return original(customer_id)

    monkeypatch.setattr(api, "get_customer", get_while_the_user_types)
    [result] = send_outbox(store, api, CONNECTION)
    assert result.outcome is Outcome.CONFLICT  # about the edits that were sent ...
    assert states(store)["cust_0001"] == (DraftState.EDITING, "")  # ... not these


def test_a_save_queued_again_during_its_send_goes_out_too(
        store: Store, api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    queue(store, 1, 10.0)
    original = api.update_customer

    def put_while_the_user_saves_again(customer_id: str, changes: CustomerUpdate) -> Customer:
        monkeypatch.undo()  # once
        store.save_draft(Draft.of(CONNECTION, make_customer(1), {"firstName": "Newer"}))
        store.queue(CONNECTION, "cust_0001", now=40.0)  # Ctrl+S
        return original(customer_id, changes)

    monkeypatch.setattr(api, "update_customer", put_while_the_user_saves_again)
    results = send_outbox(store, api, CONNECTION)
    # Queued anew behind the run, so the same run sends it, never reported as not sent.
    assert [(r.outcome, dict(r.edits)) for r in results] == [
        (Outcome.SENT, {"firstName": "New1"}), (Outcome.SENT, {"firstName": "Newer"})]
    assert api.customer("cust_0001").first_name == "Newer"
    assert store.draft_count(CONNECTION) == 0


def test_a_keystroke_before_a_draft_is_taken_goes_out_with_it(store: Store,
                                                               api: FakeApi) -> None:
    queue(store, 1, 10.0)
    queue(store, 2, 20.0)

    def progress(draft: Draft, result: SyncResult | None) -> None:
        if draft.customer_id == "cust_0001" and result is not None:
            # Typed into the waiting save of customer 2, as the keeper writes it.
            store.save_draft(Draft.of(CONNECTION, make_customer(2), {"firstName": "Latest"},
                                      state=DraftState.QUEUED, queued_at=20.0))

    # One sender: customer 2 is taken only after customer 1's outcome.
    results = send_outbox(store, api, CONNECTION, on_progress=progress, senders=1)
    assert [(r.customer_id, r.outcome, dict(r.edits)) for r in results] == [
        ("cust_0001", Outcome.SENT, {"firstName": "New1"}),
        ("cust_0002", Outcome.SENT, {"firstName": "Latest"})]
    assert api.customer("cust_0002").first_name == "Latest"
