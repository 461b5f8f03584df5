"""The customer editor: dirty tracking, undo, validation and saving on a worker thread.

The `EditSession` (Qt-free) decides what is dirty and what a save sends; this widget only
shows it. Saves run on the job runner; the form stays editable meanwhile, and edits made
during a save stay dirty against the server's answer.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLineEdit, QMenu, QVBoxLayout, QWidget

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import (
    ValidationFailed,
)
from flexdesk.api.models import Customer, CustomerStatus
from flexdesk.editing import BILLING, CONTACT, FIELD_ORDER, SHIPPING, EditSession
from flexdesk.editing.fields import ADDRESS_FIELDS, address_path, group_of
from flexdesk.sync import Outcome, SyncResult
from flexdesk.ui.common.text import clean_input
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.drafts.draft_keeper import DraftKeeper
from flexdesk.ui.drafts.sync_controller import SyncController
from flexdesk.ui.editor.conflict_dialog import ConflictDialog
from flexdesk.ui.editor.country_completer import CountryCompleter, country_for_code
from flexdesk.ui.editor.customer_form import CustomerForm
from flexdesk.ui.editor.editor_commands import SetFieldCommand
from flexdesk.ui.editor.field_row import FieldWidget
from flexdesk.ui.editor.review_dialog import ReviewChangesDialog
from flexdesk.ui.editor.status_change import StatusChanger

log = logging.getLogger(__name__)

_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _matches(event: QKeyEvent, keys: tuple[QKeySequence.StandardKey, ...]) -> bool:
    return any(event.matches(key) for key in keys)


class CustomerEditor(QWidget):
    saved = Signal(object)  # Customer, as the server answered
    dirty_changed = Signal(bool)
    leave_requested = Signal()  # Escape on a clean field: back to the list
    message = Signal(str)  # for the status bar

    def __init__(self, client: FlexPortalClient, jobs: JobRunner, keeper: DraftKeeper,
                 sync: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerEditor")
        self._jobs = jobs
        self.session: EditSession | None = None
        self.keeper = keeper  # every edit reaches the drafts store through it
        self.sync = sync  # and every save goes out through the outbox
        sync.result.connect(self._synced)
        sync.run_finished.connect(self._run_finished)
        self.status_changer = StatusChanger(client, jobs, self)
        self.status_changer.changed.connect(self._status_changed)
        self.status_changer.refused.connect(self._show_refusal)
        self._saving_id: str | None = None
        self._was_dirty = False
        # Off by default: Return in a form usually means "done", not "next".
        self.enter_moves_next = False
        self.undo_stack = QUndoStack(self)
        self.form = CustomerForm(self)
        self.rows = self.form.rows
        self.fields = self.form.fields
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self._build_actions()
        self._connect_fields()
        self.form.save_button.clicked.connect(self.save)
        self.form.revert_button.clicked.connect(self.revert_all)
        self.undo_stack.indexChanged.connect(self._refresh)
        self.setEnabled(False)
        self._refresh()

    @property
    def customer(self) -> Customer | None:
        return self.session.base if self.session else None

    @property
    def saving(self) -> bool:
        return self._saving_id is not None

    # -- construction ----------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot: object, key: QKeySequence | None, name: str) -> QAction:
            made = QAction(text, self)
            made.setObjectName(name)
            if key is not None:
                made.setShortcut(key)
            made.triggered.connect(slot)
            return made

        std = QKeySequence.StandardKey
        self.save_action = action("&Save", self.save, QKeySequence(std.Save), "save")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(std.Undo))
        self.undo_action.setObjectName("undo")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(std.Redo)])
        self.redo_action.setObjectName("redo")
        self.revert_field_action = action("Revert &field", self.revert_current_field,
                                          QKeySequence("Ctrl+Alt+Z"), "revert_field")
        self.revert_all_action = action("Revert &all changes", self.revert_all,
                                        QKeySequence("Ctrl+Shift+Backspace"), "revert_all")
        self.review_action = action("Re&view changes…", self.review_changes,
                                    QKeySequence("Ctrl+Shift+R"), "review_changes")
        self.copy_address_action = action("&Copy billing to shipping",
                                          self.copy_billing_to_shipping,
                                          QKeySequence("Ctrl+Shift+B"), "copy_billing")
        self.deactivate_action = action("&Deactivate customer…", self.deactivate,
                                        QKeySequence("Ctrl+Shift+Delete"),
                                        "deactivate")
        self.reactivate_action = action("Reac&tivate customer", self.reactivate,
                                        QKeySequence("Ctrl+Shift+Insert"),
                                        "reactivate")

    def actions_for_menus(self) -> dict[str, list[QAction]]:
        return {
            "edit": [self.undo_action, self.redo_action, self.revert_field_action,
                     self.revert_all_action, self.copy_address_action],
            "customer": [self.save_action, self.review_action, self.deactivate_action,
                         self.reactivate_action],
        }

    def _connect_fields(self) -> None:
        for path, row in self.rows.items():
            widget = row.widget
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(partial(self._typed, path))
                if path.endswith(".country"):
                    self._complete_countries(path, widget)
            else:
                widget.activated.connect(partial(self._chosen, path))
            widget.installEventFilter(self)
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(partial(self._context_menu, path))

    def _complete_countries(self, path: str, edit: QLineEdit) -> None:
        completer = CountryCompleter(edit)
        edit.setCompleter(completer)
        completer.activated[str].connect(  # type: ignore[index]
            lambda name: self._change(path, name, typing=False))

        def expand_code() -> None:
            name = country_for_code(edit.text())
            if name is not None:
                self._change(path, name, typing=False)

        edit.editingFinished.connect(expand_code)

    # -- opening ---------------------------------------------------------------------------

    def open(self, customer: Customer) -> None:
        """Show a customer with any draft of theirs; the one left is written down first."""
        current = self.session
        if current is not None and current.customer_id == customer.customer_id:
            session = current
        else:
            if current is not None:
                self.keeper.schedule(current)
                self.keeper.flush()
            session = self.keeper.restore(customer) or EditSession(customer)
        self.session = session
        self.undo_stack.clear()
        for row in self.rows.values():
            row.set_error(None)
        self.form.show_banner("")
        self.setEnabled(True)
        self._show_values()
        self._refresh()

    def forget_edits(self, customer_id: str) -> None:
        """The draft was discarded: if it is open, show the server's record again."""
        if self.session is not None and self.session.customer_id == customer_id:
            self.session = EditSession(self.session.base)
            self.undo_stack.clear()
            self._show_values()
            self._refresh()

    def focus_first_field(self) -> None:
        first = self.fields[FIELD_ORDER[0]]
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(first, QLineEdit):
            first.selectAll()

    # -- editing ---------------------------------------------------------------------------

    def _typed(self, path: str, text: str) -> None:
        cleaned = clean_input(text)
        if cleaned != text:  # a paste brought control characters along
            self.rows[path].show_value(cleaned)
        self._change(path, cleaned, typing=True)

    def _chosen(self, path: str, _index: int) -> None:
        self._change(path, self.rows[path].value(), typing=False)

    def _change(self, path: str, value: str, *, typing: bool) -> None:
        if self.session is None or self.session.value(path) == value:
            return
        self.undo_stack.push(
            SetFieldCommand(self._apply, path, self.session.value(path), value, typing=typing))

    def _apply(self, path: str, value: str) -> None:
        """The one place a value enters the session: typing, undo, redo, revert, copy."""
        if self.session is None:
            return
        self.session.set(path, value)
        self.keeper.schedule(self.session)
        self.rows[path].show_value(value)
        self.rows[path].set_error(None)
        self._refresh()

    def revert_field(self, path: str) -> None:
        if self.session is not None and self.session.is_dirty(path):
            self.undo_stack.push(SetFieldCommand(self._apply, path, self.session.value(path),
                                                 self.session.original(path), typing=False))

    def revert_current_field(self) -> None:
        for path, widget in self.fields.items():
            if widget.hasFocus():
                self.revert_field(path)

    def revert_all(self) -> None:
        self._set_many("revert all changes", {
            path: self.session.original(path) for path in self.session.dirty_paths
        } if self.session else {})

    def copy_billing_to_shipping(self) -> None:
        if self.session is None:
            return
        self._set_many("copy billing to shipping", {
            address_path(SHIPPING, f): self.session.value(address_path(BILLING, f))
            for f in ADDRESS_FIELDS})

    def _set_many(self, text: str, values: dict[str, str]) -> None:
        session = self.session
        if session is None:
            return
        changes = {p: v for p, v in values.items() if session.value(p) != v}
        if not changes:
            return
        self.undo_stack.beginMacro(text)
        for path, value in changes.items():
            self.undo_stack.push(
                SetFieldCommand(self._apply, path, session.value(path), value, typing=False))
        self.undo_stack.endMacro()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if _matches(event, _UNDO_KEYS):
                # Leave the event unaccepted: the form's undo, not the line edit's, answers.
                return kind == QEvent.Type.ShortcutOverride
            if kind == QEvent.Type.KeyPress and self.enter_moves_next and event.key() in (
                    Qt.Key.Key_Return, Qt.Key.Key_Enter) and not _completing(watched):
                if isinstance(watched, QLineEdit):
                    watched.editingFinished.emit()
                self.focusNextChild()
                return True
            if kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                path = watched.objectName()
                if self.session is not None and path in self.rows and \
                        self.session.is_dirty(path):
                    self.revert_field(path)
                else:
                    self.leave_requested.emit()
                return True
        return super().eventFilter(watched, event)

    def context_menu(self, path: str) -> QMenu:
        """The field's usual menu with "Revert field" added."""
        widget: FieldWidget = self.fields[path]
        menu = widget.createStandardContextMenu() if isinstance(widget, QLineEdit) else QMenu(
            widget)
        menu.addSeparator()
        revert = menu.addAction("Revert field", partial(self.revert_field, path))
        revert.setEnabled(bool(self.session and self.session.is_dirty(path)))
        return menu

    def _context_menu(self, path: str, position: QPoint) -> None:
        menu = self.context_menu(path)
        menu.exec(self.fields[path].mapToGlobal(position))
        menu.deleteLater()

    # -- painting the state ----------------------------------------------------------------

    def _show_values(self) -> None:
        if self.session is None:
            return
        for path, row in self.rows.items():
            row.show_value(self.session.value(path))
        self.form.show_facts(self.session.base)

    def _refresh(self) -> None:
        session = self.session
        dirty = bool(session and session.is_dirty_any)
        for path, row in self.rows.items():
            row.set_dirty(bool(session and session.is_dirty(path)),
                          session.original(path) if session else "")
        counts = {g: session.dirty_count(g) if session else 0 for g in (CONTACT, BILLING,
                                                                          SHIPPING)}
        self.form.contact.show_change_count(counts[CONTACT])
        self.form.billing.show_change_count(counts[BILLING])
        self.form.shipping.show_change_count(counts[SHIPPING])
        history = session is not None and any(
            session.is_dirty(p) for p in FIELD_ORDER if p == "email" or group_of(p) != CONTACT)
        self.form.notice.setVisible(history)
        for control in (self.form.save_button, self.save_action):
            control.setEnabled(dirty and not self.saving)
        for control in (self.form.revert_button, self.revert_all_action, self.review_action):
            control.setEnabled(dirty)
        inactive = session is not None and session.base.status is CustomerStatus.INACTIVE
        self.deactivate_action.setEnabled(session is not None and not inactive)
        self.reactivate_action.setEnabled(inactive)
        self.copy_address_action.setEnabled(session is not None)
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Check, write the draft as it stands, queue it and send the outbox."""
        session = self.session
        if session is None or self.saving or not session.is_dirty_any:
            return
        try:
            session.build_update()
        except ValidationFailed as refused:
            self._show_field_errors(refused)
            return
        self.keeper.schedule(session)
        self.keeper.flush()  # the queued draft holds exactly what is on screen now
        self.sync.queue(session.customer_id)
        log.info("queued a save of %s: %s", session.customer_id, ", ".join(session.dirty_paths))
        self._saving_id = session.customer_id
        self.form.saving.setText("Saving…")
        self.form.show_banner("")
        self._refresh()
        self.sync.send_now()

    def _synced(self, result: object) -> None:
        assert isinstance(result, SyncResult)
        if result.customer_id == self._saving_id:
            self._saving_id = None
            self.form.saving.setText("")
        self.keeper.reload()
        current = self.session if self.session and \
            self.session.customer_id == result.customer_id else None
        if result.outcome.delivered and result.customer is not None:
            if current is not None:
                current.rebase(result.customer, dict(result.edits))
                self._show_values()
                self.keeper.schedule(current)
            self.saved.emit(result.customer)
            self.message.emit(f"Saved {result.customer.display_name}")
        elif current is not None:
            self._show_sync_problem(current, result)
        else:
            self.message.emit(f"Not saved ({result.customer_id}): {result.reason}")
        self._refresh()

    def _show_sync_problem(self, session: EditSession, result: SyncResult) -> None:
        if result.outcome is Outcome.CONFLICT and result.customer is not None:
            self.form.show_banner(f"{result.reason}. Nothing was sent: choose what to keep.")
            self._resolve(session, result.customer, result.conflicts)
        elif result.outcome is Outcome.FAILED:
            if result.field_errors:
                self._show_field_errors(ValidationFailed(result.reason,
                                                         field_errors=result.field_errors))
            self.form.show_banner(f"{result.reason}. Your changes are still here.")
        else:
            self.form.show_banner(
                f"Not sent yet: {result.reason}. The save is queued and goes out when the "
                "server answers again (F9 tries now). Your changes are kept.")

    def _resolve(self, session: EditSession, server_now: Customer,
                 paths: tuple[str, ...]) -> None:
        dialog = ConflictDialog(session, server_now, paths, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def apply() -> None:
            if self.session is not session:
                return
            session.rebase(server_now)  # their record becomes the base; my edits stay
            self._show_values()
            self._set_many("take their values",
                           {p: session.original(p) for p in dialog.taken_from_them()})
            self.keeper.schedule(session)
            self.form.show_banner("Resolved. Press Ctrl+S to save your choice.", error=False)
            self._refresh()

        dialog.accepted.connect(apply)
        dialog.open()

    def _run_finished(self) -> None:
        if self._saving_id is not None:
            # Typed into while it waited, so the outbox left it to the user.
            self._saving_id = None
            self.form.saving.setText("")
            self.message.emit("Not sent: changed while waiting. Press Ctrl+S to save.")
            self._refresh()

    def _adopt(self, customer_id: str, answer: Customer) -> None:
        """After a status change: the server's record becomes the base; edits stay."""
        session = self.session if self.session and self.session.customer_id == customer_id \
            else self.keeper.restore(answer)
        if session is None:
            return
        session.rebase(answer)
        if session is self.session:
            self._show_values()
        self.keeper.schedule(session)

    def _show_field_errors(self, refused: ValidationFailed) -> None:
        placed = [p for p in FIELD_ORDER if p in refused.field_errors]
        for path in placed:
            self.rows[path].set_error(refused.field_errors[path])
        others = {p: m for p, m in refused.field_errors.items() if p not in self.rows}
        if others or not placed:
            detail = "; ".join(f"{p}: {m}" for p, m in others.items()) or refused.message
            self.form.show_banner(f"Not saved: {detail}")
        if placed:
            self.fields[placed[0]].setFocus(Qt.FocusReason.OtherFocusReason)
            self.message.emit(refused.message)

    # -- review, deactivate, reactivate ----------------------------------------------------

    def review_changes(self) -> None:
        if self.session is not None:
            dialog = ReviewChangesDialog(self.session, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()

    def deactivate(self) -> None:
        if self.session is not None:
            self.status_changer.deactivate(self.session.base, self)

    def reactivate(self) -> None:
        if self.session is not None:
            self.status_changer.reactivate(self.session.base)

    def _show_refusal(self, text: str) -> None:
        self.form.show_banner(text)

    def _status_changed(self, answer: object, done: str) -> None:
        assert isinstance(answer, Customer)
        self._adopt(answer.customer_id, answer)
        self.saved.emit(answer)
        self.message.emit(done)
        self._refresh()


def _completing(widget: QObject) -> bool:
    """True while a completer's list is open: Return then picks from it."""
    completer = widget.completer() if isinstance(widget, QLineEdit) else None
    popup = completer.popup() if completer is not None else None
    return popup is not None and popup.isVisible()
