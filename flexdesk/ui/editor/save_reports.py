"""What became of each save, painted on the editor: "Saving…", "Saved", the reasons of a
refusal at their fields, a note while a save waits, and the conflict view.

The save flows decide; this only shows their reports (`SaveFlows.finished`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from flexdesk.editing import FIELD_ORDER, LABELS
from flexdesk.ui.editor.conflict_dialog import ConflictDialog
from flexdesk.ui.editor.save_flow import SaveFlow, SaveOutcome, SaveReport

if TYPE_CHECKING:
    from flexdesk.ui.editor.customer_editor import CustomerEditor


class SaveReports(QObject):
    def __init__(self, editor: CustomerEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        editor.flows.started.connect(self._save_started)
        editor.flows.finished.connect(self._save_finished)
        editor.flows.record_changed.connect(editor.record_changed)

    def _save_started(self, _token: int) -> None:
        editor = self._editor
        editor.form.saving.setText("Saving…")
        editor.form.show_banner("")
        editor.refresh()

    def _save_finished(self, report: SaveReport) -> None:
        editor = self._editor
        flow = editor.flows.get(report.customer_id)
        shown = flow is not None and flow.session is editor.session
        if shown:
            editor.form.saving.setText("")
            editor.show_values()
        editor.keeper.reload()
        if report.outcome is SaveOutcome.DELIVERED:
            if report.record is not None:
                editor.saved.emit(report.record)
            editor.message.emit(report.text)
            if shown:
                editor.form.show_banner("")
        elif not shown and flow is not None:
            # The user has moved on to someone else: say whose save this is, by name.
            editor.message.emit(report.text if flow.name in report.text
                                else f"{flow.name}: {report.text}")
        elif report.outcome is SaveOutcome.CONFLICT and flow is not None:
            editor.form.show_banner(f"{report.text} Choose what to keep.")
            self._resolve(flow, report)
        elif report.outcome is SaveOutcome.REFUSED:
            self._show_field_errors(report)
        else:
            editor.form.show_banner(f"{report.text} Your changes are kept.", error=False)
        editor.flows.let_go(report.customer_id, on_screen=editor.session)
        editor.refresh()

    def _resolve(self, flow: SaveFlow, report: SaveReport) -> None:
        editor = self._editor
        theirs = report.record
        assert theirs is not None  # a conflict always comes with the server's record
        dialog = ConflictDialog(flow.session.base.display_name, report.conflict, editor)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        session = flow.session

        def apply() -> None:
            if editor.session is not session:
                return
            chosen = dialog.chosen_values()
            session.rebase(theirs)  # the user has seen their record: it becomes the base
            editor.show_values()
            editor.set_many("resolve the conflict", chosen)
            editor.keeper.write(session, settled=True)
            if session.is_dirty_any:
                editor.form.show_banner("Resolved. Press Ctrl+S to save your choice.",
                                      error=False)
            else:
                editor.form.show_banner("Resolved: the server's values are kept; nothing left "
                                      "to save.", error=False)
            editor.refresh()

        def cancel() -> None:
            if editor.session is session:
                editor.form.show_banner(f"{report.text} Your changes are kept; Ctrl+S shows the "
                                      "choice again.")

        def back_to_the_form() -> None:
            # Where the user left off: the first contested field, ready for Ctrl+S.
            editor.window().activateWindow()
            if editor.session is session and report.conflict:
                editor.fields[report.conflict[0].path].setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.accepted.connect(apply)
        dialog.rejected.connect(cancel)
        dialog.finished.connect(back_to_the_form)
        dialog.open()

    def _show_field_errors(self, report: SaveReport) -> None:
        editor = self._editor
        placed = [p for p in FIELD_ORDER if p in report.field_errors]
        for path in placed:
            editor.rows[path].set_error(report.field_errors[path])
        others = {p: m for p, m in report.field_errors.items() if p not in editor.rows}
        if others or not placed:
            detail = "; ".join(f"{LABELS.get(p, p)}: {m}" for p, m in others.items())
            editor.form.show_banner(f"{report.text} {detail}".strip()
                                  + " Your changes are still here.")
        if placed:
            editor.fields[placed[0]].setFocus(Qt.FocusReason.OtherFocusReason)
            editor.message.emit(report.text)
