"""Addresses right the first time: the country field by keys, each country's rules at the
field as it is left, offers instead of rewrites, and Save refused with the focus on the
first problem."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flexdesk.api.models import Customer
from flexdesk.sandbox import SandboxServer
from flexdesk.ui.window.main_window import MainWindow
from tests.factories import make_customer
from tests.ui.helpers import line, puts, type_into

CTRL = Qt.KeyboardModifier.ControlModifier
AMSTERDAM: dict[str, Any] = {"contactName": "Anne de Vries", "streetAddress": "Damrak 1",
                             "postalCode": "1012 JS", "city": "Amsterdam",
                             "country": "Netherlands"}


def open_record(window: MainWindow, **billing: Any) -> Customer:
    customer = make_customer(1, lastBillingAddress={**AMSTERDAM, **billing})
    window.open_customer(customer)
    return customer


def leave(qtbot: QtBot, window: MainWindow, path: str) -> None:
    """Tab out of the field, as a user moving on. While a completer's list is open, keys
    reach the list (it holds the keyboard), so the Tab goes there."""
    field = line(window, path)
    completer = field.completer()
    popup = completer.popup() if completer is not None else None
    qtbot.keyClick(popup if popup is not None and popup.isVisible() else field, Qt.Key.Key_Tab)


def error(window: MainWindow, path: str) -> str:
    label = window.editor.rows[path].error
    return label.text().removeprefix("⚠ ") if label.isVisible() else ""


def value(window: MainWindow, path: str) -> str:
    session = window.editor.session
    assert session is not None
    return session.value(path)


def test_an_iso_code_and_tab_give_the_country_name(qtbot: QtBot, window: MainWindow) -> None:
    open_record(window)
    type_into(qtbot, window, "billingAddress.country", "DE")
    completer = line(window, "billingAddress.country").completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None and popup.isVisible()
    offered = completer.completionModel()
    assert [offered.index(r, 0).data() for r in range(2)] == ["Germany", "Denmark"]

    leave(qtbot, window, "billingAddress.country")

    assert line(window, "billingAddress.country").text() == "Germany"
    assert value(window, "billingAddress.country") == "Germany"
    assert QApplication.focusWidget() is line(window, "shippingAddress.contactName")
    # A Dutch postal code in Germany: said at the postal code, which holds a value.
    assert error(window, "billingAddress.postalCode") == \
        "Not a postal code in Germany — e.g. 26133"


def test_a_misspelt_country_is_an_error_with_a_suggestion_and_save_is_refused(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    open_record(window)
    big_sandbox.clear_requests()
    type_into(qtbot, window, "billingAddress.country", "Germnay")
    leave(qtbot, window, "billingAddress.country")
    message = "Germnay: not a country — did you mean Germany?"
    assert error(window, "billingAddress.country") == message
    assert line(window, "billingAddress.country").text() == "Germnay", "nothing typed is lost"

    type_into(qtbot, window, "firstName", "Anna")
    qtbot.keyClick(line(window, "firstName"), Qt.Key.Key_S, CTRL)

    assert QApplication.focusWidget() is line(window, "billingAddress.country")
    assert error(window, "billingAddress.country") == message
    assert puts(big_sandbox) == []


def test_a_country_outside_the_list_is_shown_as_it_is_until_its_address_is_edited(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_record(window, country="Holland")
    country = line(window, "billingAddress.country")
    assert country.text() == "Holland"
    country.setFocus()
    leave(qtbot, window, "billingAddress.country")  # passing through changes nothing
    assert value(window, "billingAddress.country") == "Holland"
    assert error(window, "billingAddress.country") == ""

    type_into(qtbot, window, "billingAddress.city", "Utrecht")
    leave(qtbot, window, "billingAddress.city")
    assert error(window, "billingAddress.country") == \
        "Holland: not a country — choose one from the list"


def test_a_postal_code_is_judged_as_it_is_left_and_the_usual_form_offered(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_record(window)
    type_into(qtbot, window, "billingAddress.postalCode", "1012js")
    row = window.editor.rows["billingAddress.postalCode"]
    assert not row.offer.isVisible(), "nothing is offered while typing"
    leave(qtbot, window, "billingAddress.postalCode")
    assert error(window, "billingAddress.postalCode") == ""
    assert row.offer.isVisible() and row.offer.text() == "Use 1012 JS"
    assert value(window, "billingAddress.postalCode") == "1012js", "never rewritten unasked"

    row.offer.click()
    assert value(window, "billingAddress.postalCode") == "1012 JS"
    assert not row.offer.isVisible()
    window.editor.undo_stack.undo()
    assert value(window, "billingAddress.postalCode") == "1012js"

    type_into(qtbot, window, "billingAddress.postalCode", "ABC12")
    leave(qtbot, window, "billingAddress.postalCode")
    assert error(window, "billingAddress.postalCode") == \
        "Not a postal code in Netherlands — e.g. 1234 AB"
    type_into(qtbot, window, "billingAddress.postalCode", "1012 J")
    assert error(window, "billingAddress.postalCode") == "", "typing takes the error back"


def test_labels_follow_the_country_and_a_us_address_needs_its_state(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    open_record(window)
    rows = window.editor.rows
    assert rows["billingAddress.postalCode"].label.text() == "P&ostal code *"
    type_into(qtbot, window, "billingAddress.country", "United States")
    assert rows["billingAddress.postalCode"].label.text().startswith("ZIP c&ode *")
    assert rows["billingAddress.adminArea"].label.text().startswith("&State *")
    assert line(window, "billingAddress.postalCode").placeholderText() == "required, e.g. 95014"
    type_into(qtbot, window, "billingAddress.city", "San Francisco")
    type_into(qtbot, window, "billingAddress.postalCode", "94103")
    big_sandbox.clear_requests()

    qtbot.keyClick(line(window, "billingAddress.postalCode"), Qt.Key.Key_S, CTRL)
    assert QApplication.focusWidget() is line(window, "billingAddress.adminArea")
    assert error(window, "billingAddress.adminArea") == "Required"

    type_into(qtbot, window, "billingAddress.adminArea", "NY")
    leave(qtbot, window, "billingAddress.adminArea")
    assert error(window, "billingAddress.adminArea") == ""
    assert error(window, "billingAddress.postalCode") == "Not a ZIP code in New York — e.g. 10000"
    type_into(qtbot, window, "billingAddress.adminArea", "CA")
    assert error(window, "billingAddress.postalCode") == "", "the state fixed it"
    assert puts(big_sandbox) == []

    type_into(qtbot, window, "billingAddress.country", "Qatar")
    assert rows["billingAddress.postalCode"].label.text().startswith("P&ostal code")
    assert "*" not in rows["billingAddress.postalCode"].label.text()
    type_into(qtbot, window, "billingAddress.postalCode", "")
    assert line(window, "billingAddress.postalCode").placeholderText() == "not used in Qatar"


def test_an_address_panel_never_collides_alt_letters_whatever_the_country(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_record(window)
    for country in ("United States", "Ireland", "United Kingdom", "Japan", "Netherlands"):
        type_into(qtbot, window, "billingAddress.country", country)
        labels = [window.editor.rows[p].label.text() for p in window.editor.rows
                  if p.startswith("billingAddress.")]
        letters = [text[text.index("&") + 1].lower() for text in labels]
        assert len(set(letters)) == len(letters), labels


def test_the_offer_is_reached_by_keys_between_postal_code_and_city(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_record(window)
    type_into(qtbot, window, "billingAddress.postalCode", "1012js")
    leave(qtbot, window, "billingAddress.postalCode")
    assert QApplication.focusWidget() is line(window, "billingAddress.city")
    qtbot.keyClick(line(window, "billingAddress.city"), Qt.Key.Key_Backtab)
    offer = window.editor.rows["billingAddress.postalCode"].offer
    assert QApplication.focusWidget() is offer
    qtbot.keyClick(offer, Qt.Key.Key_Space)
    assert value(window, "billingAddress.postalCode") == "1012 JS"


def test_the_address_panels_sit_side_by_side_where_they_fit_and_stack_where_not(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_record(window)
    pair = window.editor.form.addresses
    billing, shipping = pair.panels
    city = line(window, "billingAddress.city")
    qtbot.waitUntil(lambda: city.width() > 0, timeout=2000)
    assert pair.side_by_side and billing.y() == shipping.y()  # 1280 px: room for both

    sizes = window.splitter.sizes()
    window.splitter.setSizes([sum(sizes) - 330, 330])
    qtbot.waitUntil(lambda: not pair.side_by_side, timeout=2000)
    qtbot.waitUntil(lambda: shipping.y() > billing.y(), timeout=2000)
    # Stacked, each input takes the pane's width instead of half of it.
    assert city.width() >= city.fontMetrics().horizontalAdvance("Frankfurt am Main") + 10

    window.splitter.setSizes(sizes)
    qtbot.waitUntil(lambda: pair.side_by_side, timeout=2000)


def test_stacked_panels_keep_the_tab_order_of_the_fields(qtbot: QtBot, window: MainWindow) -> None:
    open_record(window)
    sizes = window.splitter.sizes()
    window.splitter.setSizes([sum(sizes) - 330, 330])
    qtbot.waitUntil(lambda: not window.editor.form.addresses.side_by_side, timeout=2000)
    line(window, "billingAddress.country").setFocus()
    qtbot.keyClick(line(window, "billingAddress.country"), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is line(window, "shippingAddress.contactName")


def test_a_country_full_of_markup_is_flagged_as_plain_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    markup = "<b>bold</b><img src='nowhere.png' width=300>"
    open_record(window, country=markup)
    type_into(qtbot, window, "billingAddress.city", "Utrecht")
    leave(qtbot, window, "billingAddress.city")
    label = window.editor.rows["billingAddress.country"].error
    assert label.isVisible() and markup in label.text()
    assert label.textFormat() == Qt.TextFormat.PlainText
