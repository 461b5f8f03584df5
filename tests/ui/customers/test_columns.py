"""The list's columns: chosen by keyboard or from the header, remembered by name."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from flexdesk.listing.columns import Column
from flexdesk.listing.layout import ColumnLayout
from flexdesk.ui.customers.column_chooser import ColumnChooser
from flexdesk.ui.window.main_window import MainWindow
from tests.ui.conftest import WindowFactory

ALT = Qt.KeyboardModifier.AltModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def at_row(chooser: ColumnChooser, row: int) -> bool:
    return chooser.columns.currentRow() == row


def visible_order(window: MainWindow) -> list[Column]:
    header = window.list.table.horizontalHeader()
    return [Column(header.logicalIndex(v)) for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))]


def test_columns_are_chosen_by_keyboard_and_remembered(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory
) -> None:
    assert Column.COUNTRY not in visible_order(window)
    window.list.focus_search()
    qtbot.keyClick(window.list.search, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ColumnChooser),
                    timeout=2000)
    chooser = QApplication.activeModalWidget()
    assert isinstance(chooser, ColumnChooser)
    qtbot.waitUntil(lambda: focused() is chooser.columns, timeout=2000)
    names = [chooser.columns.item(r).text() for r in range(chooser.columns.count())]
    for _ in range(names.index("Country")):
        qtbot.keyClick(chooser.columns, Qt.Key.Key_Down)
    qtbot.keyClick(chooser.columns, Qt.Key.Key_Space)  # show it
    for above in range(names.index("Country") - 1, names.index("City") - 1, -1):
        qtbot.keyClick(chooser.columns, Qt.Key.Key_U, ALT)  # up, until it follows Company
        # (a button pressed by its Alt key clicks a moment later)
        qtbot.waitUntil(partial(at_row, chooser, above), timeout=2000)
    qtbot.keyClick(chooser.columns, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not chooser.isVisible(), timeout=2000)

    shown = visible_order(window)
    assert shown[shown.index(Column.COMPANY) + 1] == Column.COUNTRY
    window.list.table.sortByColumn(Column.COUNTRY, Qt.SortOrder.DescendingOrder)
    window.close()

    again = make_window()
    assert visible_order(again) == shown
    header = again.list.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        Column.COUNTRY, Qt.SortOrder.DescendingOrder)


def test_escape_leaves_the_columns_as_they_were(qtbot: QtBot, window: MainWindow) -> None:
    before = visible_order(window)
    chooser = window.list.choose_columns()
    qtbot.waitUntil(chooser.isVisible, timeout=2000)
    qtbot.keyClick(chooser.columns, Qt.Key.Key_Space)
    qtbot.keyClick(chooser.columns, Qt.Key.Key_Escape)
    assert visible_order(window) == before


def test_the_header_menu_shows_and_hides_columns(qtbot: QtBot, window: MainWindow) -> None:
    header = window.list.table.horizontalHeader()
    header.customContextMenuRequested.emit(header.rect().center())
    opened = [m for m in header.findChildren(QMenu) if m.isVisible()]
    assert opened
    [email] = [a for a in opened[-1].actions() if a.text() == "Email"]
    assert email.isChecked()
    email.trigger()
    assert header.isSectionHidden(Column.EMAIL)
    opened[-1].close()


def test_a_layout_saved_before_columns_had_names_still_comes_back(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory, settings: QSettings
) -> None:
    header = window.list.table.horizontalHeader()
    header.resizeSection(Column.EMAIL, 321)
    settings.setValue("window/columns", header.saveState())  # as an older flexdesk saved it
    settings.remove("window/columnLayout")
    again = make_window()
    assert again.list.table.horizontalHeader().sectionSize(Column.EMAIL) == 321
    again.close()  # and from now on by name
    assert settings.value("window/columns") is None
    assert isinstance(settings.value("window/columnLayout"), str)


def test_a_layout_by_name_survives_columns_it_never_knew() -> None:
    saved = ('{"columns":[{"name":"email","width":200,"hidden":false},'
             '{"name":"gone_column","width":50,"hidden":false},'
             '{"name":"name","width":150,"hidden":false}],"sort":"email","descending":true}')
    layout = ColumnLayout.from_json(saved)
    order = [state.column for state in layout.columns]
    # As saved (the unknown one dropped), the marker it did not name in its default place.
    assert order[:3] == [Column.DRAFT, Column.EMAIL, Column.NAME]
    assert set(order) == set(Column)  # every column it did not name, in its default place
    assert (layout.sort, layout.descending) == (Column.EMAIL, True)
    assert ColumnLayout.from_json("not json") == ColumnLayout()
