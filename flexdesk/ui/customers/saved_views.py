"""Saved views of the list, per profile: kept in the settings, managed in one dialog
(View > Views…, Ctrl+Shift+S) and switched to with Ctrl+1 … Ctrl+9.

The dialog by keyboard: type a name and Return saves the list as it is now under it; in the
list of views, Return switches to the one in focus and Delete forgets it; Escape closes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flexdesk.listing.views import MAX_VIEWS, SavedView, views_from_json, views_to_json
from flexdesk.store import ConnectionKey
from flexdesk.ui.customers.customer_list import CustomerList


class SavedViews(QObject):
    """The views of one profile (its server and tenant), in the order of their keys."""

    changed = Signal()

    def __init__(self, settings: QSettings, connection: ConnectionKey,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        # Settings keys cannot hold any character; a digest of the connection can.
        where = f"{connection.base_url}\n{connection.tenant_id}"
        digest = hashlib.sha256(where.encode()).hexdigest()[:16]
        self._key = f"views/{digest}"

    def all(self) -> list[SavedView]:
        saved = self._settings.value(self._key)
        return views_from_json(saved) if isinstance(saved, str) else []

    def save(self, view: SavedView) -> None:
        """Keep `view`, replacing one of the same name; a new one goes last (if there is room)."""
        views = self.all()
        names = [v.name.casefold() for v in views]
        if view.name.casefold() in names:
            views[names.index(view.name.casefold())] = view
        elif len(views) < MAX_VIEWS:
            views.append(view)
        else:
            raise ValueError(f"{MAX_VIEWS} views are kept at most: delete one first.")
        self._write(views)

    def delete(self, name: str) -> None:
        self._write([v for v in self.all() if v.name != name])

    def _write(self, views: list[SavedView]) -> None:
        self._settings.setValue(self._key, views_to_json(views))
        self._settings.sync()
        self.changed.emit()


class ViewsDialog(QDialog):
    """Return does what the highlighted button says: Save view while the name has the focus,
    Switch to while the list has it."""

    chosen = Signal(SavedView)

    def __init__(self, views: SavedViews, snapshot: Callable[[str], SavedView],
                 parent: QWidget | None = None) -> None:
        """`snapshot(name)`: the list as it is now, as a view of that name."""
        super().__init__(parent)
        self.setObjectName("savedViews")
        self.setWindowTitle("Saved views")
        self._views = views
        self._snapshot = snapshot
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name for the list as it is now")
        self.name.setPlaceholderText("e.g. Dutch businesses")
        self.name.setMaxLength(80)
        name_label = QLabel("&Name for the list as it is now:", self)
        name_label.setBuddy(self.name)
        self.problem = QLabel(self)
        self.problem.setObjectName("viewProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b00020;")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Saved views")
        self.list.installEventFilter(self)
        self.list.itemDoubleClicked.connect(lambda _item: self._choose())
        list_label = QLabel(f"Saved &views (Ctrl+1 … Ctrl+{MAX_VIEWS}):", self)
        list_label.setBuddy(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = buttons.addButton("&Save view", QDialogButtonBox.ButtonRole.ActionRole)
        self.switch_button = buttons.addButton("S&witch to",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.forget_button = buttons.addButton("&Forget", QDialogButtonBox.ButtonRole.ActionRole)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)  # the default follows the focus, below
        self.save_button.clicked.connect(self._save)
        self.switch_button.clicked.connect(self._choose)
        self.forget_button.clicked.connect(self._forget)
        buttons.rejected.connect(self.reject)
        self.name.installEventFilter(self)
        layout = QVBoxLayout(self)
        for widget in (name_label, self.name, self.problem, list_label, self.list, buttons):
            layout.addWidget(widget)
        views.changed.connect(self._fill)
        self._fill()
        self.save_button.setDefault(True)
        self.resize(420, 360)

    def _fill(self) -> None:
        self.list.clear()
        self.list.addItems([view.name for view in self._views.all()])
        self.list.setCurrentRow(0)
        for button in (self.switch_button, self.forget_button):
            button.setEnabled(self.list.count() > 0)

    def _save(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.problem.setText("⚠ Type a name for the view first.")
            self.name.setFocus()
            return
        try:
            self._views.save(self._snapshot(name))
        except ValueError as full:
            self.problem.setText(f"⚠ {full}")
            return
        self.accept()

    def _choose(self) -> None:
        item = self.list.currentItem()
        view = next((v for v in self._views.all() if item and v.name == item.text()), None)
        if view is not None:
            self.chosen.emit(view)
            self.accept()

    def _forget(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._views.delete(item.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn:
            (self.switch_button if watched is self.list else self.save_button).setDefault(True)
        elif watched is self.list and event.type() == QEvent.Type.KeyPress and \
                isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Delete:
            self._forget()
            return True
        return super().eventFilter(watched, event)


class ViewSwitcher(QObject):
    """The window's side of saved views: the Ctrl+1 … Ctrl+9 slot actions carry the views'
    names (hidden when there is no such view), and `current_changed` names the view the list
    shows, or "" once its filters or search differ from it."""

    current_changed = Signal(str)

    def __init__(self, views: SavedViews, customer_list: CustomerList,
                 slots: Sequence[QAction], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views = views
        self._list = customer_list
        self._slots = list(slots)
        self.current: SavedView | None = None
        for number, action in enumerate(self._slots):
            action.triggered.connect(partial(self._slot_triggered, number))
        views.changed.connect(self._label_slots)
        customer_list.filters_changed.connect(self._check_current)
        self._label_slots()

    def dialog(self, parent: QWidget) -> ViewsDialog:
        """View > Saved views…: save the list as it is, or switch to a view by name."""
        dialog = ViewsDialog(self.views, self._snapshot, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.switch)
        dialog.open()
        return dialog

    def switch(self, view: SavedView) -> None:
        self._list.show_view(view)
        self._set_current(view)

    def switch_to_slot(self, number: int) -> None:
        saved = self.views.all()
        if number < len(saved):
            self.switch(saved[number])

    def _slot_triggered(self, number: int, _checked: bool = False) -> None:
        self.switch_to_slot(number)

    def _snapshot(self, name: str) -> SavedView:
        view = self._list.view(name)
        self._set_current(view)  # saving names the list as it is
        return view

    def _set_current(self, view: SavedView | None) -> None:
        self.current = view
        self.current_changed.emit(view.name if view else "")

    def _check_current(self) -> None:
        if self.current is not None and not _same_rows(self._list.view(""), self.current):
            self._set_current(None)

    def _label_slots(self) -> None:
        saved = self.views.all()
        for number, action in enumerate(self._slots):
            action.setVisible(number < len(saved))
            if number < len(saved):  # "&&": an ampersand in a name is not an accelerator
                action.setText(f"&{number + 1} {saved[number].name.replace('&', '&&')}")


def _same_rows(shown: SavedView, view: SavedView) -> bool:
    """Whether the list shows the view's rows (its columns may have been widened since)."""
    return (shown.status, shown.customer_type, shown.search) == \
        (view.status, view.customer_type, view.search)
