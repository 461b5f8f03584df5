"""The customer editor: dirty tracking, undo, validation and saving on a worker thread.

The `EditSession` (Qt-free) decides what is dirty and what a save sends; this widget only
shows it. Saves run on the job runner; the form stays editable meanwhile, and edits made
during a save stay dirty against the server's answer.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLineEdit, QMenu, QVBoxLayout, QWidget

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer, CustomerStatus
from flexdesk.editing import BILLING, CONTACT, FIELD_ORDER, LABELS, SHIPPING, EditSession
from flexdesk.editing.fields import ADDRESS_FIELDS, address_path, group_of
from flexdesk.editing.validation import length_problem
from flexdesk.listing.text import clean_input
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.drafts.draft_keeper import DraftKeeper
from flexdesk.ui.drafts.sync_controller import SyncController
from flexdesk.ui.editor.conflict_dialog import ConflictDialog
from flexdesk.ui.editor.country_completer import CountryCompleter, country_for_code
from flexdesk.ui.editor.customer_form import CustomerForm
from flexdesk.ui.editor.editor_commands import SetFieldCommand
from flexdesk.ui.editor.field_row import FieldWidget
from flexdesk.ui.editor.review_dialog import ReviewChangesDialog
from flexdesk.ui.editor.save_flow import SaveFlow, SaveOutcome, SaveReport
from flexdesk.ui.editor.status_change import StatusChanger
from flexdesk.ui.shortcuts.actions import EDITOR, build_actions

log = logging.getLogger(__name__)

def _matches(event: QKeyEvent, keys: list[QKeySequence]) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(pressed == key for key in keys)


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
        # One per customer with a save on its way, and one for the customer on screen.
        self._flows: dict[str, SaveFlow] = {}
        self.status_changer = StatusChanger(client, jobs, self)
        self.status_changer.changed.connect(self._status_changed)
        self.status_changer.refused.connect(self._show_refusal)
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
        """The customer on screen has a save on its way."""
        flow = self._flows.get(self.session.customer_id) if self.session else None
        return flow is not None and flow.pending

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
        waiting = self._flows.get(customer.customer_id)
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
            self._let_go(current.customer_id)
        self._flow_for(session)
        self.form.saving.setText("Saving…" if self.saving else "")
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
            flow = self._flows.pop(customer_id, None)
            if flow is not None:
                flow.close()
                flow.deleteLater()
            self.session = EditSession(self.session.base)
            self._flow_for(self.session)
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
        row = self.rows[path]
        row.show_value(value)
        row.show_length(len(value))
        row.set_error(length_problem(value))
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

    def _undo_keys(self) -> list[QKeySequence]:
        """Undo and redo as mapped now: they reach the form's stack, not the field's own."""
        return [*self.action_map["undo"].shortcuts(), *self.action_map["redo"].shortcuts()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if _matches(event, self._undo_keys()):
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
            value = self.session.value(path)
            row.show_value(value)
            row.show_length(len(value))
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
        actions = self.action_map
        for control in (self.form.save_button, self.form.revert_button, actions["save"],
                        actions["revert_all"], actions["review_changes"]):
            control.setEnabled(dirty)
        inactive = session is not None and session.base.status is CustomerStatus.INACTIVE
        actions["deactivate"].setEnabled(session is not None and not inactive)
        actions["reactivate"].setEnabled(inactive)
        actions["copy_billing"].setEnabled(session is not None)
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)

    # -- saving ----------------------------------------------------------------------------

    def _flow_for(self, session: EditSession) -> SaveFlow:
        """The save flow of this customer: the one still waiting for an answer, or a new one."""
        flow = self._flows.get(session.customer_id)
        if flow is None:
            flow = SaveFlow(session, self.keeper, self.sync, self)
            flow.started.connect(self._save_started)
            flow.finished.connect(self._save_finished)
            flow.record_changed.connect(self.record_changed)
            self._flows[session.customer_id] = flow
        return flow

    def _let_go(self, customer_id: str) -> None:
        """Forget a customer's flow once it is neither open nor waiting for an answer."""
        flow = self._flows.get(customer_id)
        if flow is not None and not flow.pending and flow.session is not self.session:
            flow.close()
            flow.deleteLater()
            del self._flows[customer_id]

    def save(self) -> None:
        """Ctrl+S: the flow checks, queues and sends; the editor paints what it reports.

        Also while an earlier save is on its way: what was typed since goes in line too.
        """
        if self.session is not None:
            self._flow_for(self.session).save()

    def _save_started(self, _token: int) -> None:
        self.form.saving.setText("Saving…")
        self.form.show_banner("")
        self._refresh()

    def _save_finished(self, report: SaveReport) -> None:
        flow = self._flows.get(report.customer_id)
        shown = flow is not None and flow.session is self.session
        if shown:
            self.form.saving.setText("")
            self._show_values()
        self.keeper.reload()
        if report.outcome is SaveOutcome.DELIVERED:
            if report.record is not None:
                self.saved.emit(report.record)
            self.message.emit(report.text)
            if shown:
                self.form.show_banner("")
        elif not shown and flow is not None:
            # The user has moved on to someone else: say whose save this is, by name.
            self.message.emit(report.text if flow.name in report.text
                              else f"{flow.name}: {report.text}")
        elif report.outcome is SaveOutcome.CONFLICT and flow is not None:
            self.form.show_banner(f"{report.text} Choose what to keep.")
            self._resolve(flow, report)
        elif report.outcome is SaveOutcome.REFUSED:
            self._show_field_errors(report)
        else:
            self.form.show_banner(f"{report.text} Your changes are kept.", error=False)
        self._let_go(report.customer_id)
        self._refresh()

    def _resolve(self, flow: SaveFlow, report: SaveReport) -> None:
        theirs = report.record
        assert theirs is not None  # a conflict always comes with the server's record
        dialog = ConflictDialog(flow.session.base.display_name, report.conflict, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        session = flow.session

        def apply() -> None:
            if self.session is not session:
                return
            chosen = dialog.chosen_values()
            session.rebase(theirs)  # the user has seen their record: it becomes the base
            self._show_values()
            self._set_many("resolve the conflict", chosen)
            self.keeper.write(session, settled=True)
            if session.is_dirty_any:
                self.form.show_banner("Resolved. Press Ctrl+S to save your choice.",
                                      error=False)
            else:
                self.form.show_banner("Resolved: the server's values are kept; nothing left "
                                      "to save.", error=False)
            self._refresh()

        def cancel() -> None:
            if self.session is session:
                self.form.show_banner(f"{report.text} Your changes are kept; Ctrl+S shows the "
                                      "choice again.")

        def back_to_the_form() -> None:
            # Where the user left off: the first contested field, ready for Ctrl+S.
            self.window().activateWindow()
            if self.session is session and report.conflict:
                self.fields[report.conflict[0].path].setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.accepted.connect(apply)
        dialog.rejected.connect(cancel)
        dialog.finished.connect(back_to_the_form)
        dialog.open()

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

    def _show_field_errors(self, report: SaveReport) -> None:
        placed = [p for p in FIELD_ORDER if p in report.field_errors]
        for path in placed:
            self.rows[path].set_error(report.field_errors[path])
        others = {p: m for p, m in report.field_errors.items() if p not in self.rows}
        if others or not placed:
            detail = "; ".join(f"{LABELS.get(p, p)}: {m}" for p, m in others.items())
            self.form.show_banner(f"{report.text} {detail}".strip()
                                  + " Your changes are still here.")
        if placed:
            self.fields[placed[0]].setFocus(Qt.FocusReason.OtherFocusReason)
            self.message.emit(report.text)

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
        self._refresh()


def _completing(widget: QObject) -> bool:
    """True while a completer's list is open: Return then picks from it."""
    completer = widget.completer() if isinstance(widget, QLineEdit) else None
    popup = completer.popup() if completer is not None else None
    return popup is not None and popup.isVisible()
