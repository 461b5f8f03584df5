"""Server text is plain text in every view: a record full of markup is shown, never obeyed.

A company value `<img src='/dev/zero' width=300>` in a tooltip once froze the window. Here
every field of a record holds markup; the test opens each view that shows a record (list,
form with its changed-field tooltips, review, conflict view, drafts panel, status bar, About)
and checks that no label could read it as rich text and no tooltip carries it unescaped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.editing import ADDRESS_FIELDS
from flexdesk.listing.columns import Column
from flexdesk.sandbox import SandboxServer
from flexdesk.ui.editor.conflict_dialog import ConflictDialog
from flexdesk.ui.editor.review_dialog import ReviewChangesDialog
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.helpers import line

MARKUP = "<b>bold</b><img src='nowhere.png' width=300>"
CTRL = Qt.KeyboardModifier.ControlModifier


def hostile_record() -> dict[str, Any]:
    # The server refuses an address outside its country's rules, so the country and postal
    # code stay valid; a country that is none is shown by tests/ui/editor/test_address_form.py.
    address = {field: f"{field} {MARKUP}" for field in ADDRESS_FIELDS} | {
        "country": "Netherlands", "postalCode": "1012 JS"}
    return {"firstName": f"First {MARKUP}", "lastName": f"Last {MARKUP}",
            "company": f"Company {MARKUP}", "phone": f"+31 {MARKUP}",
            "billingAddress": address, "shippingAddress": address}


def markup_obeyed_anywhere() -> list[str]:
    """Every place on screen that would draw `MARKUP` as markup."""
    found = []
    for widget in QApplication.allWidgets():
        tip = widget.toolTip()
        if "<img" in tip:
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: tooltip {tip!r}")
        if isinstance(widget, QLabel) and "<img" in widget.text() and (
                widget.textFormat() == Qt.TextFormat.RichText
                or (widget.textFormat() == Qt.TextFormat.AutoText
                    and GuiQt.mightBeRichText(widget.text()))):
            found.append(f"QLabel {widget.objectName()!r}: {widget.text()!r}")
    return found


def shown_somewhere(text: str) -> bool:
    return any(isinstance(w, QLabel) and text in w.text() and w.isVisible()
               for w in QApplication.allWidgets())


def test_a_record_full_of_markup_is_shown_as_text_everywhere(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    customer = window.customers.customer_at(1)
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        planted = api.update_customer(customer.customer_id, hostile_record())
    window.loader.refresh()
    qtbot.waitUntil(lambda: window.loader.complete and not window.loader.loading, timeout=5000)
    row = window.customers.row_of(customer.customer_id)
    assert row is not None
    assert window.customers.index(row, Column.COMPANY).data() == f"Company {MARKUP}"

    # The form, with every field changed: each tooltip says what it was.
    window.open_customer(window.customers.customer_at(row))
    assert shown_somewhere(planted.display_name)  # the heading, as written
    for path in ("firstName", "company", "phone", "billingAddress.city",
                 "shippingAddress.streetAddress"):
        field = line(window, path)
        field.setFocus()
        qtbot.keyClicks(field, "!")
    assert markup_obeyed_anywhere() == []

    # The review of the changes, the drafts panel, the status bar.
    window.editor.review_changes()
    review = window.editor.findChild(ReviewChangesDialog)
    assert review is not None
    window.keeper.flush()
    window.drafts_dock.show()
    qtbot.waitUntil(lambda: window.drafts_dock.model.rowCount() == 1, timeout=2000)
    window.status.notify(f"Saved {planted.display_name}", 5000)
    assert markup_obeyed_anywhere() == []
    review.close()

    # A colleague writes markup over a field I changed: the conflict view shows theirs.
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as colleague:
        colleague.update_customer(customer.customer_id, {"phone": f"+32 {MARKUP}"})
    line(window, "phone").setFocus()
    qtbot.keyClick(line(window, "phone"), Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: window.editor.findChild(ConflictDialog) is not None, timeout=5000)
    assert shown_somewhere(f"+32 {MARKUP}")
    assert markup_obeyed_anywhere() == []

    # A message box quoting the customer (deactivating asks first).
    asked: list[QWidget] = []

    def look_and_say_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box)
        assert markup_obeyed_anywhere() == []
        box.reject()

    QTimer.singleShot(0, look_and_say_no)
    window.editor.deactivate()
    assert asked
