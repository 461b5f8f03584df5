"""The editor against the sandbox: what changed is marked, and only that is sent."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer, CustomerStatus
from flexdesk.sandbox import SandboxServer
from flexdesk.ui.editor.field_row import DIRTY_MARK
from flexdesk.ui.editor.review_dialog import ReviewChangesDialog
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.contract.schemas import schema_validator
from tests.ui.helpers import line, puts, type_into

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def save_and_wait(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_S, CTRL)


@pytest.fixture
def opened(window: MainWindow, big_sandbox: SandboxServer) -> Customer:
    """The first listed customer that has a billing address, open in the editor."""
    # (QTest types ASCII only, and this city is typed back in one test.)
    customer = next(c for c in (window.customers.customer_at(r) for r in range(50))
                    if c.last_billing_address and c.last_billing_address.postal_code
                    and c.last_billing_address.city.isascii()
                    and "'" not in c.last_billing_address.city)
    window.open_customer(customer)
    big_sandbox.clear_requests()
    return customer


def test_a_phone_change_sends_only_the_phone_and_updates_the_list(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, opened: Customer
) -> None:
    assert not window.editor.form.save_button.isEnabled()
    type_into(qtbot, window, "phone", "+31 6 9876 5432")
    assert window.isWindowModified()
    assert window.editor.form.save_button.isEnabled()

    save_and_wait(qtbot, window)

    assert puts(big_sandbox) == [{"customerId": opened.customer_id, "phone": "+31 6 9876 5432"}]
    row = window.customers.row_of(opened.customer_id)
    assert row is not None and window.customers.customer_at(row).phone == "+31 6 9876 5432"
    assert not window.isWindowModified()
    assert not window.editor.rows["phone"].dirty


def test_one_address_field_sends_the_whole_edited_address(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, opened: Customer
) -> None:
    type_into(qtbot, window, "billingAddress.city", "Utrecht")
    save_and_wait(qtbot, window)

    [body] = puts(big_sandbox)
    schema_validator("CustomerUpdate").validate(body)
    assert set(body) == {"customerId", "billingAddress"}
    assert opened.last_billing_address is not None
    expected = opened.last_billing_address.model_dump(mode="json") | {"city": "Utrecht"}
    assert body["billingAddress"] == expected


def test_dirty_fields_are_marked_with_text_tooltip_and_counts(
    qtbot: QtBot, window: MainWindow, opened: Customer
) -> None:
    type_into(qtbot, window, "billingAddress.city", "Utrecht")
    type_into(qtbot, window, "billingAddress.streetAddress", "Oudegracht 1")
    row = window.editor.rows["billingAddress.city"]
    assert row.label.text().endswith(DIRTY_MARK)
    assert opened.last_billing_address is not None
    assert opened.last_billing_address.city in row.widget.toolTip()
    assert window.editor.form.billing.title() == "Billing address — 2 changes"
    assert window.editor.form.shipping.title() == "Shipping address"
    assert window.editor.form.notice.isVisible()

    type_into(qtbot, window, "billingAddress.city", f"  {opened.last_billing_address.city} ")
    assert not row.dirty, "typing the original back (white space aside) is clean again"
    assert window.editor.form.billing.title() == "Billing address — 1 change"


def test_bad_input_is_shown_at_its_field_and_nothing_is_sent(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, opened: Customer
) -> None:
    type_into(qtbot, window, "shippingAddress.city", "")
    type_into(qtbot, window, "lastName", "")
    type_into(qtbot, window, "email", "not an email")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)

    assert window.editor.rows["lastName"].error.text() == "⚠ Required"
    assert window.editor.rows["email"].error.isVisible()
    assert window.editor.rows["shippingAddress.city"].error.isVisible()
    assert QApplication.focusWidget() is window.editor.fields["lastName"]
    assert puts(big_sandbox) == []
    assert window.isWindowModified(), "nothing typed is lost"

    qtbot.keyClicks(line(window, "lastName"), "Jansen")
    assert not window.editor.rows["lastName"].error.isVisible()


def test_a_slow_save_leaves_the_window_responsive_and_later_typing_dirty(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, opened: Customer
) -> None:
    big_sandbox.faults.latency = 2.0
    ticks: list[int] = []
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start(10)

    type_into(qtbot, window, "phone", "+31 6 1111 2222")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert window.editor.saving
    assert window.editor.form.saving.text() == "Saving…"
    type_into(qtbot, window, "company", "Typed While Saving B.V.")
    with qtbot.waitSignal(window.editor.saved, timeout=10000):
        pass
    heartbeat.stop()

    assert len(ticks) > 50, "the event loop kept running during the 2 s save"
    assert puts(big_sandbox) == [{"customerId": opened.customer_id, "phone": "+31 6 1111 2222"}]
    assert not window.editor.rows["phone"].dirty
    assert window.editor.rows["company"].dirty
    assert line(window, "company").text() == "Typed While Saving B.V."


def test_long_values_show_their_beginning_in_narrow_fields(
    qtbot: QtBot, window: MainWindow, opened: Customer
) -> None:
    city = line(window, "billingAddress.city")
    window.editor.fields["firstName"].setFocus()
    type_into(qtbot, window, "billingAddress.city", "Frankfurt am Main-Sachsenhausen Nord")
    window.editor.fields["firstName"].setFocus()
    window.action_map["undo"].trigger()  # undo puts a value back without the user's cursor
    window.action_map["redo"].trigger()
    assert city.text() == "Frankfurt am Main-Sachsenhausen Nord"
    assert city.cursorPosition() == 0
    # where the user is typing, the cursor stays where the text ends
    city.setFocus()
    window.action_map["undo"].trigger()
    assert city.cursorPosition() == len(city.text())


def test_undo_redo_and_revert_restore_exact_values(
    qtbot: QtBot, window: MainWindow, opened: Customer
) -> None:
    city = line(window, "billingAddress.city")
    original = city.text()
    type_into(qtbot, window, "billingAddress.city", "Delft")
    type_into(qtbot, window, "phone", "+31 15 000 0000")

    qtbot.keyClick(city, Qt.Key.Key_Z, CTRL)
    assert line(window, "phone").text() == (opened.phone or "")
    qtbot.keyClick(city, Qt.Key.Key_Z, CTRL)
    assert city.text() == original
    assert not window.isWindowModified()
    qtbot.keyClick(city, Qt.Key.Key_Z, CTRL | SHIFT)
    assert city.text() == "Delft"

    city.setFocus()
    qtbot.keyClick(city, Qt.Key.Key_Escape)  # Escape on a dirty field reverts it
    assert city.text() == original
    qtbot.keyClick(city, Qt.Key.Key_Z, CTRL)  # and the revert itself can be undone
    assert city.text() == "Delft"

    window.action_map["revert_all"].trigger()
    assert city.text() == original and not window.isWindowModified()


def test_copy_billing_to_shipping_marks_the_copied_fields(
    qtbot: QtBot, window: MainWindow, opened: Customer
) -> None:
    type_into(qtbot, window, "billingAddress.streetAddress", "Nieuwe Gracht 7")
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL | SHIFT)
    assert line(window, "shippingAddress.streetAddress").text() == "Nieuwe Gracht 7"
    session = window.editor.session
    assert session is not None
    assert all(session.value(p.replace("billing", "shipping")) == session.value(p)
               for p in session.values if p.startswith("billingAddress."))
    assert session.dirty_count("shippingAddress") >= 1


def test_refusals_say_why_and_keep_the_edits(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, opened: Customer
) -> None:
    type_into(qtbot, window, "phone", "+31 20 000 0000")
    for status, words in ((404, "Deleted on the server"), (401, "refused the API key")):
        big_sandbox.faults.script(status)
        qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: not window.editor.saving, timeout=5000)
        assert words in window.editor.form.banner.text()
        assert window.editor.rows["phone"].dirty
        assert line(window, "phone").text() == "+31 20 000 0000"


def test_switching_customers_keeps_the_unsaved_edits(
    qtbot: QtBot, window: MainWindow, opened: Customer
) -> None:
    type_into(qtbot, window, "company", "Kept Draft B.V.")
    other = window.customers.customer_at(60)
    window.open_customer(other)
    assert line(window, "company").text() == (other.company or "")
    assert opened.customer_id in window.customers.draft_ids()

    window.open_customer(opened)
    assert line(window, "company").text() == "Kept Draft B.V."
    assert window.editor.rows["company"].dirty


def test_review_shows_the_exact_body_that_save_sends(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, opened: Customer
) -> None:
    type_into(qtbot, window, "firstName", "Zoe-Anne")
    window.action_map["review_changes"].trigger()
    review = window.editor.findChild(ReviewChangesDialog)
    assert review is not None and review.isVisible()
    cells = [review.table.item(0, column) for column in range(3)]
    assert [c.text() for c in cells if c] == ["First name", opened.first_name, "Zoe-Anne"]
    shown = review.body.toPlainText()
    review.close()
    save_and_wait(qtbot, window)
    assert json.loads(shown) == puts(big_sandbox)[0]


def test_deactivate_asks_then_refuses_renters_and_reactivates(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr("flexdesk.ui.editor.status_change.confirm", confirm)
    customers = [window.customers.customer_at(r) for r in range(window.customers.rowCount())]
    renter = next(c for c in customers if c.rental_ids)
    window.open_customer(renter)
    window.action_map["deactivate"].trigger()
    qtbot.waitUntil(window.editor.form.banner.isVisible, timeout=5000)
    assert "active subscriptions" in window.editor.form.banner.text()
    assert renter.display_name in asked[0]

    idle = next(c for c in customers if not c.rental_ids and c.total_devices_rented == 0)
    window.open_customer(idle)
    with qtbot.waitSignal(window.editor.saved, timeout=5000):
        window.action_map["deactivate"].trigger()
    assert window.editor.customer is not None
    assert window.editor.customer.status is CustomerStatus.INACTIVE
    big_sandbox.clear_requests()
    big_sandbox.faults.lose_answer()  # reactivated, but the answer never comes back
    with qtbot.waitSignal(window.editor.saved, timeout=5000):
        qtbot.keyClick(line(window, "firstName"), Qt.Key.Key_T, CTRL | SHIFT)
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        assert api.get_customer(idle.customer_id).status is CustomerStatus.ACTIVE
    assert [r.method for r in big_sandbox.requests][:2] == ["PUT", "GET"]  # read, not resent
    assert window.status.notice.text() == f"Reactivated {idle.display_name}"
    assert idle.email in asked[1] and idle.customer_id not in asked[1]


def test_pasted_control_characters_are_dropped(
    qtbot: QtBot, window: MainWindow, opened: Customer
) -> None:
    company = line(window, "company")
    company.setFocus()
    company.selectAll()
    company.insert("Acme\x07\tB.V.\u202e")  # as a paste arrives
    assert company.text() == "Acme B.V."
    session = window.editor.session
    assert session is not None and session.value("company") == "Acme B.V."


def test_a_value_past_the_length_limit_is_kept_whole_and_refused_at_its_field(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, opened: Customer
) -> None:
    street = line(window, "billingAddress.streetAddress")
    row = window.editor.rows["billingAddress.streetAddress"]
    street.setFocus()
    street.selectAll()
    qtbot.keyClicks(street, "S" * 185)
    assert row.length.isVisible() and row.length.text() == "185 of 200 characters"
    QApplication.clipboard().setText("x" * 315)
    qtbot.keyClick(street, Qt.Key.Key_V, CTRL)  # a paste that overshoots

    assert street.text() == "S" * 185 + "x" * 315, "nothing is cut"
    assert row.error.isVisible()
    assert row.error.text() == "⚠ Too long: 500 characters, at most 200"
    qtbot.keyClick(street, Qt.Key.Key_S, CTRL)
    assert puts(big_sandbox) == []
    assert QApplication.focusWidget() is street
    assert window.status.notice.text() == "Cannot save yet: check Billing street address."

    street.selectAll()
    qtbot.keyClicks(street, "Kerkstraat 1")  # fixed: the message and the count go away
    assert not row.error.isVisible() and not row.length.isVisible()
