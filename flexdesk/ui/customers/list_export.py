"""File > Export list… (Ctrl+Shift+E): the rows the list shows, in its order, to a CSV or
.xlsx file named in a file dialog (a full path typed there and Return will do).

Customers the list does not hold yet (the copy of the tenant is still being made) are fetched
first, with a progress dialog and Stop. The file is then written on a worker with a progress
dialog whose Stop (or Escape) leaves nothing behind; the window stays usable meanwhile.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from flexdesk.api.errors import user_text
from flexdesk.listing.export import ExportStopped, export_headers, export_rows, write_export
from flexdesk.ui.common.dialogs import confirm, file_dialog, inform, progress_dialog, tell
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_list import CustomerList

log = logging.getLogger(__name__)

FORMATS = "CSV, UTF-8 (*.csv);;Excel workbook (*.xlsx)"
_FOLDER_KEY = "export/folder"
PROGRESS_MS = 100  # how often a progress dialog shows how far the worker got


class ListExport(QObject):
    finished = Signal(str)  # what the status bar says when it is over

    def __init__(self, customer_list: CustomerList, jobs: JobRunner, settings: QSettings,
                 window: QWidget) -> None:
        super().__init__(window)
        self._list = customer_list
        self._jobs = jobs
        self._settings = settings
        self._window = window
        self.progress: QProgressDialog | None = None
        self.fetching: QProgressDialog | None = None  # while rows not loaded yet are fetched
        self._waiting: tuple[Path, bool] = (Path(), False)  # the file, and whether indexing
        # was stopped before
        customer_list.loader.changed.connect(self._loader_changed)
        # The worker only writes a number; the GUI thread reads it. Signals emitted from the
        # worker mid-job, or disconnected while it emitted, crashed or hung PySide now and then.
        self._written = 0
        # Held here, and reached from the dialog through a method of this object: connected
        # to `Event.set` directly, PySide would undo that connection from the worker thread
        # when the job freed the last reference to the event (a crash now and then).
        self._stop = threading.Event()
        self._poll = QTimer(self)
        self._poll.setInterval(PROGRESS_MS)
        self._poll.timeout.connect(self._show_written)

    def choose_file(self) -> QFileDialog:
        return self._file_dialog("customers.csv")

    def _file_dialog(self, name: str) -> QFileDialog:
        folder = self._settings.value(_FOLDER_KEY) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return file_dialog(self._window, "Export list", str(Path(str(folder)) / name), FORMATS,
                           "exportFile", chosen=self.export_to, save=True)

    def export_to(self, chosen: str) -> None:
        path = Path(chosen)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            tell(self._window, "Export list",
                 f"“{path.name}” is neither .csv nor .xlsx: name the file customers.csv "
                 "(comma-separated, for any spreadsheet) or customers.xlsx (Excel).",
                 lambda: self._file_dialog(path.name))
            return
        self._settings.setValue(_FOLDER_KEY, str(path.parent))
        if self._list.loader.up_to_date is None:  # the copy was never whole: finish it first
            self._fetch_rest(path)
            return
        self._write(path)

    def _fetch_rest(self, path: Path) -> None:
        """Page in the customers the list does not hold yet, with progress and Stop; then
        write. Offline, the user decides whether the rows at hand will do."""
        loader = self._list.loader
        waiting = progress_dialog(self._window, "Export list",
                                  "Fetching the customers not in the list yet…", "exportFetching")
        waiting.setRange(0, 0)
        waiting.setAutoReset(False)
        # Stop, or Escape: a dialog that is not the active window hears it as a rejection.
        waiting.canceled.connect(self._stop_fetching)
        waiting.rejected.connect(self._stop_fetching)
        self.fetching = waiting
        self._waiting = (path, loader.stopped)
        loader.go_on()
        self._loader_changed()

    def _loader_changed(self) -> None:
        """While the rest is fetched: progress, then the file (connected once, for good:
        see `_close_progress`)."""
        waiting, loader = self.fetching, self._list.loader
        if waiting is None:
            return
        path = self._waiting[0]
        if loader.up_to_date is not None and loader.progress is None:
            self._fetched()
            self._write(path)
        elif loader.error is not None and not loader.stepping:
            self._fetched()
            self._offer_what_is_loaded(path, loader.error)
        elif loader.progress is not None:
            fetched, total = loader.progress
            waiting.setMaximum(max(total or 0, fetched))
            waiting.setValue(fetched)
            about = f"{fetched:,} of ~{total:,}" if total else f"{fetched:,} so far"
            waiting.setLabelText(f"Fetching the customers not in the list yet before "
                                 f"exporting: {about}…")

    def _stop_fetching(self) -> None:
        if self.fetching is None:
            return
        path, was_stopped = self._waiting
        self._fetched()
        if was_stopped:
            self._list.loader.stop()  # as the user left it
        self.finished.emit(f"Export stopped: {path.name} was not written")

    def _fetched(self) -> None:
        if self.fetching is not None:
            self.fetching.blockSignals(True)
            self.fetching.close()
            self.fetching.deleteLater()
            self.fetching = None

    def _offer_what_is_loaded(self, path: Path, why: str) -> None:
        shown = self._list.proxy.rowCount()
        if confirm(self._window, "Export list",
                   f"The rest of the list cannot be fetched now ({why}). Export the "
                   f"{shown:,} customers the list holds to {path.name}?"):
            self._write(path)
        else:
            self.finished.emit(f"Export stopped: {path.name} was not written")

    def _write(self, path: Path) -> None:
        customers = self._list.proxy.customers()
        shown = self._list.column_layout().shown()
        stop = threading.Event()
        progress = progress_dialog(
            self._window, "Export list",
            f"Exporting {len(customers):,} customers to {path.name}…", "exportProgress")
        progress.setRange(0, len(customers))
        self._stop = stop
        progress.canceled.connect(self._stop_writing)
        progress.rejected.connect(self._stop_writing)
        self.progress = progress
        self._written = 0
        self._poll.start()

        def work() -> int:
            def report(done: int) -> bool:
                self._written = done  # an int: read whole by the GUI thread's timer
                return not stop.is_set()
            return write_export(path, export_headers(shown), export_rows(customers, shown),
                                report)

        self._jobs.submit("export", work, lambda count: self._done(
            f"Exported {count:,} customers to {path}"), lambda exc: self._failed(path, exc))

    def _done(self, message: str) -> None:
        self._close_progress()
        self.finished.emit(message)

    def _failed(self, path: Path, exc: Exception) -> None:
        self._close_progress()
        if isinstance(exc, ExportStopped):
            self.finished.emit(f"Export stopped: {path.name} was not written")
            return
        log.error("exporting to %s failed", path, exc_info=exc)
        self.finished.emit(f"Export failed: {path.name} was not written")
        inform(self._window, "Export list", f"{path} could not be written: {user_text(exc)}")

    def _stop_writing(self) -> None:
        self._stop.set()

    def _show_written(self) -> None:
        if self.progress is not None:
            self.progress.setValue(self._written)

    def _close_progress(self) -> None:
        self._poll.stop()
        if self.progress is not None:
            # Closing emits `canceled` and `rejected` into Python once more, for nothing.
            self.progress.blockSignals(True)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
