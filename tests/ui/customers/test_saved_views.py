"""Saved views: the list as it is, kept under a name per profile, back with Ctrl+1 … Ctrl+9."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from flexdesk.listing.columns import Column
from flexdesk.listing.paging import StatusScope
from flexdesk.listing.views import MAX_VIEWS, SavedView
from flexdesk.store import ConnectionKey
from flexdesk.ui.customers.saved_views import SavedViews, ViewsDialog
from flexdesk.ui.window.main_window import MainWindow
from tests.ui.conftest import WindowFactory

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def open_views_dialog(qtbot: QtBot, window: MainWindow, from_widget: QWidget) -> ViewsDialog:
    with qtbot.waitActive(window):  # a window manager does this when a dialog closes
        window.activateWindow()
    from_widget.setFocus()
    qtbot.waitUntil(lambda: focused() is from_widget, timeout=2000)
    qtbot.keyClick(from_widget, Qt.Key.Key_S, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ViewsDialog),
                    timeout=2000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ViewsDialog)
    qtbot.waitUntil(lambda: focused() is dialog.name, timeout=2000)
    return dialog


def save_view_as(qtbot: QtBot, window: MainWindow, name: str) -> None:
    dialog = open_views_dialog(qtbot, window, window.list.search)
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    with qtbot.waitActive(window):
        window.activateWindow()


def shown_names(window: MainWindow) -> set[str]:
    proxy = window.list.proxy
    return {proxy.index(row, Column.NAME).data() for row in range(proxy.rowCount())}


def test_a_view_is_saved_by_keyboard_and_comes_back_with_ctrl_1_from_a_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.list.type_filter.setCurrentIndex(2)  # businesses
    window.list.search.setText("b")
    window.list.table.sortByColumn(Column.CITY, Qt.SortOrder.DescendingOrder)
    businesses_with_b = shown_names(window)
    assert 0 < len(businesses_with_b) < window.customers.rowCount()

    save_view_as(qtbot, window, "Businesses with a b")
    assert window.windowTitle().startswith("Businesses with a b — sandbox")

    window.list.type_filter.setCurrentIndex(0)
    window.list.search.clear()
    window.list.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert not window.windowTitle().startswith("Businesses"), "the list no longer shows it"

    window.open_customer(window.customers.customer_at(0))
    field = window.editor.fields["email"]
    assert isinstance(field, QLineEdit)
    field.setFocus()
    qtbot.waitUntil(lambda: focused() is field, timeout=2000)
    before = field.text()
    qtbot.keyClick(field, Qt.Key.Key_1, CTRL)
    qtbot.waitUntil(lambda: window.list.search.text() == "b", timeout=2000)
    assert window.list.type_filter.currentText() == "Businesses"
    assert shown_names(window) == businesses_with_b
    header = window.list.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == \
        (Column.CITY, Qt.SortOrder.DescendingOrder)
    assert window.windowTitle().startswith("Businesses with a b — sandbox")
    assert field.text() == before, "Ctrl+1 typed nothing into the field"


def test_views_outlive_the_window_and_stay_with_their_profile(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory, settings: QSettings
) -> None:
    window.list.status_filter.setCurrentIndex(list(StatusScope).index(StatusScope.ALL))
    save_view_as(qtbot, window, "Everyone & their dog")
    window.close()

    again = make_window()
    slot = again.action_map["view_1"]
    assert slot.isVisible() and slot.text() == "&1 Everyone && their dog"
    assert not again.action_map["view_2"].isVisible()
    slot.trigger()
    assert again.list.status_filter.currentText() == StatusScope.ALL.value

    elsewhere = SavedViews(settings, ConnectionKey("https://api.flexportal.example", "acme"))
    assert elsewhere.all() == []


def test_the_dialog_switches_forgets_and_explains_by_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    save_view_as(qtbot, window, "Everything active")
    window.list.search.setText("zz-no-such-customer")
    window.list.type_filter.setCurrentIndex(1)
    save_view_as(qtbot, window, "Nobody")

    dialog = open_views_dialog(qtbot, window, window.list.search)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # no name yet
    assert "Type a name" in dialog.problem.text() and dialog.isVisible()

    qtbot.keyClick(dialog.name, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: focused() is dialog.list, timeout=2000)
    assert dialog.switch_button.isDefault(), "Return in the list switches, as shown"
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert [dialog.list.item(r).text() for r in range(dialog.list.count())] == \
        ["Everything active"]
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert window.list.search.text() == "" and window.list.type_filter.currentIndex() == 0
    assert window.windowTitle().startswith("Everything active — ")

    dialog = open_views_dialog(qtbot, window, window.list.search)
    qtbot.keyClicks(dialog.name, "Not kept")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert [v.name for v in window.views.views.all()] == ["Everything active"]


def test_a_tenth_view_is_refused_with_a_reason(qtbot: QtBot, window: MainWindow) -> None:
    for number in range(MAX_VIEWS):
        window.views.views.save(SavedView(f"View {number}"))
    dialog = open_views_dialog(qtbot, window, window.list.search)
    qtbot.keyClicks(dialog.name, "One more")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert "9 views are kept at most" in dialog.problem.text()
    assert dialog.isVisible() and dialog.name.text() == "One more", "nothing typed is lost"
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
