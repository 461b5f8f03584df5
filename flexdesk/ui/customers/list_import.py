"""File > Import changes… (Ctrl+Shift+I): a CSV or .xlsx file of changes, reviewed, then
queued as saves.

The steps: a file dialog (a typed full path and Return will do); reading the file and finding
each row's customer on a worker, with a progress dialog whose Stop (or Escape) ends it; the
review, where nothing is sent before Return; then the changes are queued on a worker as
drafts in line, and `queued` tells the window to send them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog, QWidget

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import user_text
from flexdesk.api.models import Customer
from flexdesk.listing.export import Cell, write_export
from flexdesk.listing.import_columns import ID, ImportRefused, map_columns
from flexdesk.listing.import_customers import ImportStopped, find_customers, queue_changes
from flexdesk.listing.import_review import (
    CustomerNotFound,
    ImportReview,
    ReviewedRow,
    review_sheet,
)
from flexdesk.listing.sheet_reading import UnreadableFile, read_sheet
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.common.dialogs import file_dialog, inform, progress_dialog
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.import_review_dialog import ImportReviewDialog
from flexdesk.ui.customers.list_export import FORMATS as EXPORT_FORMATS
from flexdesk.ui.customers.list_export import PROGRESS_MS

log = logging.getLogger(__name__)

FORMATS = "Spreadsheets (*.csv *.xlsx *.tsv *.txt);;All files (*)"
_FOLDER_KEY = "import/folder"
TITLE = "Import changes"


class ListImport(QObject):
    queued = Signal(int)  # how many saves were queued: time to send them
    finished = Signal(str)  # what the status bar says

    def __init__(self, store: Store, connection: ConnectionKey, client: FlexPortalClient,
                 jobs: JobRunner, *, settings: QSettings, window: QWidget) -> None:
        super().__init__(window)
        self._store = store
        self._connection = connection
        self._client = client
        self._jobs = jobs
        self._settings = settings
        self._window = window
        self.progress: QProgressDialog | None = None
        self.review_dialog: ImportReviewDialog | None = None
        # The worker only writes a pair; the GUI thread's timer reads it (see ListExport).
        self._lookups: tuple[int, int] | None = None  # looked up on the server, of how many
        self._stop = threading.Event()
        self._poll = QTimer(self)
        self._poll.setInterval(PROGRESS_MS)
        self._poll.timeout.connect(self._looked_up)

    def choose_file(self) -> QFileDialog:
        folder = self._settings.value(_FOLDER_KEY) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return file_dialog(self._window, TITLE, str(folder), FORMATS, "importFile",
                           chosen=self.read, save=False)

    # -- reading and matching ----------------------------------------------------------------

    def read(self, chosen: str) -> None:
        path = Path(chosen)
        self._settings.setValue(_FOLDER_KEY, str(path.parent))
        stop = threading.Event()
        self._show_progress(f"Reading {path.name}…", stop)
        store, connection, client = self._store, self._connection, self._client

        def work() -> ImportReview:
            sheet = read_sheet(path)
            columns = map_columns(sheet.headers)
            found = find_customers(sheet, columns, store=store, connection=connection,
                                   client=client, stop=stop, progress=self._note_lookups)
            drafts = store.draft_ids(connection)

            def find(key: str) -> Customer | CustomerNotFound | None:
                return found.get(key if columns.key == ID else key.casefold())

            return review_sheet(sheet, path.name, columns, find, drafts.__contains__)

        self._jobs.submit("import", work, self._review, lambda exc: self._read_failed(path, exc))

    def _show_progress(self, text: str, stop: threading.Event) -> None:
        progress = progress_dialog(self._window, TITLE, text, "importProgress")
        progress.setRange(0, 0)
        self._stop = stop  # reached through a method: see ListExport's `_stop`
        progress.canceled.connect(self._stop_reading)
        progress.rejected.connect(self._stop_reading)  # Escape, when it is not the active window
        self.progress = progress
        self._lookups = None
        self._poll.start()

    def _stop_reading(self) -> None:
        self._stop.set()

    def _note_lookups(self, done: int, of: int) -> None:
        self._lookups = (done, of)  # on the worker: one tuple, replaced whole

    def _looked_up(self) -> None:
        if self.progress is not None and self._lookups is not None:
            done, of = self._lookups
            self.progress.setLabelText(f"Looking up {of:,} customers not in the list yet "
                                       "on the server…")
            self.progress.setMaximum(of)
            self.progress.setValue(done)

    def _close_progress(self) -> None:
        self._poll.stop()
        if self.progress is not None:
            # Closing emits `canceled` and `rejected` into Python once more, for nothing.
            self.progress.blockSignals(True)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _read_failed(self, path: Path, exc: Exception) -> None:
        self._close_progress()
        if isinstance(exc, ImportStopped):
            self.finished.emit(f"Import stopped: nothing from {path.name} was queued")
            return
        if isinstance(exc, UnreadableFile | ImportRefused):
            message = str(exc)
        else:
            log.error("importing %s failed", path, exc_info=exc)
            message = f"{path.name} could not be imported: {user_text(exc)}"
        self.finished.emit(f"Nothing imported from {path.name}")
        inform(self._window, TITLE, message)

    # -- the review --------------------------------------------------------------------------

    def _review(self, review: ImportReview) -> None:
        self._close_progress()
        dialog = ImportReviewDialog(review, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save_rejected.connect(lambda: self._choose_rejected_file(review, dialog))
        dialog.finished.connect(lambda result: self._reviewed(review, result))
        self.review_dialog = dialog
        dialog.open()

    def _reviewed(self, review: ImportReview, result: int) -> None:
        self.review_dialog = None
        if result != QDialog.DialogCode.Accepted:
            self.finished.emit(f"Import cancelled: nothing from {review.file_name} was queued")
            return
        store, connection = self._store, self._connection
        rows = review.to_send()
        self._jobs.submit("queue import", lambda: queue_changes(store, connection, rows),
                          lambda done: self._queued(review, *done), self._queue_failed)

    def _queued(self, review: ImportReview, queued: list[ReviewedRow],
                skipped: list[ReviewedRow]) -> None:
        text = f"Queued {len(queued):,} changes from {review.file_name}"
        if skipped:
            names = ", ".join(row.name for row in skipped[:3])
            more = f" and {len(skipped) - 3:,} more" if len(skipped) > 3 else ""
            text += (f"; not {names}{more}: edited here since the review (import those rows "
                     "again once the edits are sent)")
        self.queued.emit(len(queued))
        self.finished.emit(text)

    def _queue_failed(self, exc: Exception) -> None:
        log.error("queueing an import failed", exc_info=exc)
        self.finished.emit("Import not queued")
        inform(self._window, TITLE, f"The changes could not be queued: {user_text(exc)}")

    # -- the rejected rows -------------------------------------------------------------------

    def _choose_rejected_file(self, review: ImportReview, parent: QWidget) -> QFileDialog:
        name = f"{Path(review.file_name).stem}-rejected.csv"
        folder = self._settings.value(_FOLDER_KEY) or ""
        return file_dialog(parent, "Save rejected rows", str(Path(str(folder)) / name),
                           EXPORT_FORMATS, "rejectedFile", save=True,
                           chosen=lambda chosen: self.save_rejected(review, Path(chosen)))

    def save_rejected(self, review: ImportReview, path: Path) -> None:
        """The rejected rows as the file had them, with a `reason` column, to fix and import
        again. Small: written here, at once."""
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_suffix(".csv")
        rows: list[list[Cell]] = [[*row.cells, row.reason] for row in review.rejected()]
        try:
            count = write_export(path, [*review.headers, "reason"], rows)
        except (OSError, ValueError) as exc:
            inform(self._window, "Save rejected rows",
                   f"{path} could not be written: {user_text(exc)}")
            return
        self.finished.emit(f"Saved {count:,} rejected rows to {path}")
