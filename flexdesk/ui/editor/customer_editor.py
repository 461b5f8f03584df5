"""The customer editor: one customer's form, its changes, undo across fields, and Save.

The `EditSession` (Qt-free) decides what is dirty and what a save sends; this widget only
shows it. Every change goes through the undo stack into the session and on to the drafts
store. Saving is the save flows' (save_flow.py), their reports are painted by save_reports.py,
and keys beyond typing are field_keys.py's; the form stays editable while a save is on its way.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer, CustomerStatus
from flexdesk.editing import BILLING, CONTACT, FIELD_ORDER, SHIPPING, EditSession
from flexdesk.editing.fields import ADDRESS_FIELDS, address_path, group_of
from flexdesk.editing.validation import length_problem
from flexdesk.listing.text import clean_input
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.drafts.draft_keeper import DraftKeeper
from flexdesk.ui.drafts.sync_controller import SyncController
from flexdesk.ui.editor.address_checks import AddressChecks
from flexdesk.ui.editor.country_completer import CountryCompleter
from flexdesk.ui.editor.customer_form import CustomerForm
from flexdesk.ui.editor.editor_commands import SetFieldCommand
from flexdesk.ui.editor.field_keys import FieldKeys
from flexdesk.ui.editor.review_dialog import ReviewChangesDialog
from flexdesk.ui.editor.save_flow import SaveFlows
from flexdesk.ui.editor.save_reports import SaveReports
from flexdesk.ui.editor.status_change import StatusChanger
from flexdesk.ui.shortcuts.actions import EDITOR, build_actions

log = logging.getLogger(__name__)

class CustomerEditor(QWidget):
    saved = Signal(Customer)  # as the server answered a save or a status change
    record_changed = Signal(Customer)  # the server's newer record: the list shows it
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
        self.flows = SaveFlows(keeper, sync, self)
        self.read_only = False  # the drafts file cannot be written: nothing can be saved
        self.status_changer = StatusChanger(client, jobs, self)
        self.status_changer.changed.connect(self._status_changed)
        self.status_changer.refused.connect(self._show_refusal)
        self._was_dirty = False
        self.undo_stack = QUndoStack(self)
        self.form = CustomerForm(self)
        self.rows = self.form.rows
        self.fields = self.form.fields
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self._build_actions()
        self._connect_fields()
        self.address_checks = AddressChecks(self)  # country rules as fields are left
        self.keys = FieldKeys(self.fields, self._is_dirty, self._undo_keys, self)
        self.reports = SaveReports(self)  # paints what became of each save
        self.keys.revert_requested.connect(self.revert_field)
        self.keys.leave_requested.connect(self.leave_requested)
        self.keys.next_requested.connect(self.focusNextChild)
        self.form.save_button.clicked.connect(self.save)
        self.form.revert_button.clicked.connect(self.revert_all)
        self.undo_stack.indexChanged.connect(self.refresh)
        self.setEnabled(False)
        self.refresh()

    @property
    def customer(self) -> Customer | None:
        return self.session.base if self.session else None

    @property
    def saving(self) -> bool:
        """The customer on screen has a save on its way."""
        return self.session is not None and self.flows.pending(self.session.customer_id)

    @property
    def enter_moves_next(self) -> bool:
        return self.keys.enter_moves_next

    @enter_moves_next.setter
    def enter_moves_next(self, on: bool) -> None:
        self.keys.enter_moves_next = on

    # -- construction ----------------------------------------------------------------------

    def _build_actions(self) -> None:
        """The editor's actions from the one table of actions; the window puts them in menus."""
        self.action_map = build_actions(self, EDITOR, {
            "undo": self.undo_stack.undo, "redo": self.undo_stack.redo,
            "revert_field": self.revert_current_field, "revert_all": self.revert_all,
            "copy_billing": self.copy_billing_to_shipping, "save": self.save,
            "review_changes": self.review_changes, "deactivate": self.deactivate,
            "reactivate": self.reactivate,
        })
        self.undo_stack.canUndoChanged.connect(self.action_map["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(self.action_map["redo"].setEnabled)
        self.action_map["undo"].setEnabled(False)
        self.action_map["redo"].setEnabled(False)

    def _connect_fields(self) -> None:
        for path, row in self.rows.items():
            widget = row.widget
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(partial(self._typed, path))
                if path.endswith(".country"):
                    self._complete_countries(path, widget)
            else:
                widget.activated.connect(partial(self._chosen, path))

    def _complete_countries(self, path: str, edit: QLineEdit) -> None:
        completer = CountryCompleter(edit)
        edit.setCompleter(completer)
        completer.activated[str].connect(  # type: ignore[index]
            lambda name: self._change(path, name, typing=False))

    # -- opening ---------------------------------------------------------------------------

    def open(self, customer: Customer) -> None:
        """Show a customer with any draft of theirs; the one left is written down first."""
        current = self.session
        waiting = self.flows.get(customer.customer_id)
        if current is not None and current.customer_id == customer.customer_id:
            session = current
        elif waiting is not None:
            session = waiting.session  # its save is still on its way: carry on with it
        else:
            session = self.keeper.restore(customer) or EditSession(customer)
        if current is not None and current is not session:
            self.keeper.schedule(current)
            self.keeper.flush()
        self.session = session
        if current is not None and current is not session:
            self.flows.let_go(current.customer_id, on_screen=session)
        self.flows.for_session(session)
        self.form.saving.setText("Saving…" if self.saving else "")
        self.undo_stack.clear()
        for row in self.rows.values():
            row.set_error(None)
        self.address_checks.clear()
        self.form.show_banner("")
        self.setEnabled(True)
        self.show_values()
        self.refresh()

    def forget_edits(self, customer_id: str) -> None:
        """The draft was discarded: if it is open, show the server's record again."""
        if self.session is not None and self.session.customer_id == customer_id:
            self.flows.let_go(customer_id, on_screen=None)
            self.session = EditSession(self.session.base)
            self.flows.for_session(self.session)
            self.undo_stack.clear()
            self.show_values()
            self.refresh()

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
        row = self.rows[path]
        row.show_value(value)
        row.show_length(len(value))
        row.set_error(length_problem(value))
        self.address_checks.value_set(path)
        self.refresh()

    def revert_field(self, path: str) -> None:
        if self.session is not None and self.session.is_dirty(path):
            self.undo_stack.push(SetFieldCommand(self._apply, path, self.session.value(path),
                                                 self.session.original(path), typing=False))

    def revert_current_field(self) -> None:
        for path, widget in self.fields.items():
            if widget.hasFocus():
                self.revert_field(path)

    def revert_all(self) -> None:
        self.set_many("revert all changes", {
            path: self.session.original(path) for path in self.session.dirty_paths
        } if self.session else {})

    def copy_billing_to_shipping(self) -> None:
        if self.session is None:
            return
        self.set_many("copy billing to shipping", {
            address_path(SHIPPING, f): self.session.value(address_path(BILLING, f))
            for f in ADDRESS_FIELDS})

    def set_many(self, text: str, values: dict[str, str]) -> None:
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

    def _undo_keys(self) -> list[QKeySequence]:
        """Undo and redo as mapped now: they reach the form's stack, not the field's own."""
        return [*self.action_map["undo"].shortcuts(), *self.action_map["redo"].shortcuts()]

    def _is_dirty(self, path: str) -> bool:
        return self.session is not None and self.session.is_dirty(path)

    # -- painting the state ----------------------------------------------------------------

    def show_values(self) -> None:
        if self.session is None:
            return
        for path, row in self.rows.items():
            value = self.session.value(path)
            row.show_value(value)
            row.show_length(len(value))
        self.address_checks.show_terms()
        self.form.show_facts(self.session.base)

    def refresh(self) -> None:
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
        actions = self.action_map
        for control in (self.form.save_button, actions["save"]):
            control.setEnabled(dirty and not self.read_only)
        for control in (self.form.revert_button, actions["revert_all"],
                        actions["review_changes"]):
            control.setEnabled(dirty)
        inactive = session is not None and session.base.status is CustomerStatus.INACTIVE
        actions["deactivate"].setEnabled(session is not None and not inactive)
        actions["reactivate"].setEnabled(inactive)
        actions["copy_billing"].setEnabled(session is not None)
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Ctrl+S: the flow checks, queues and sends; the editor paints what it reports.

        Also while an earlier save is on its way: what was typed since goes in line too.
        """
        if self.session is not None:
            self.flows.for_session(self.session).save()

    def _adopt(self, customer_id: str, answer: Customer) -> None:
        """After a status change: the server's record becomes the base; edits stay."""
        session = self.session if self.session and self.session.customer_id == customer_id \
            else self.keeper.restore(answer)
        if session is None:
            return
        session.rebase(answer)
        if session is self.session:
            self.show_values()
        self.keeper.schedule(session)

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

    def _status_changed(self, answer: Customer, done: str) -> None:
        self._adopt(answer.customer_id, answer)
        self.saved.emit(answer)
        self.message.emit(done)
        self.refresh()

