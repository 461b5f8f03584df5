"""File > Export list… (Ctrl+Shift+E): the rows the list shows, in its order, to a CSV or
.xlsx file named in a file dialog (a full path typed there and Return will do).

The file is written on a worker with a progress dialog whose Stop (or Escape) leaves nothing
behind; the window stays usable meanwhile. What is exported is taken when the file is named:
rows that arrive later are not in it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from flexdesk.api.errors import user_text
from flexdesk.listing.export import ExportStopped, export_headers, export_rows, write_export
from flexdesk.ui.common.dialogs import inform
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_list import CustomerList

log = logging.getLogger(__name__)

FORMATS = "CSV, UTF-8 (*.csv);;Excel workbook (*.xlsx)"
_FOLDER_KEY = "export/folder"


class ListExport(QObject):
    progressed = Signal(int)  # rows written so far, from the worker
    finished = Signal(str)  # what the status bar says when it is over

    def __init__(self, customer_list: CustomerList, jobs: JobRunner, settings: QSettings,
                 window: QWidget) -> None:
        super().__init__(window)
        self._list = customer_list
        self._jobs = jobs
        self._settings = settings
        self._window = window
        self.progress: QProgressDialog | None = None

    def choose_file(self) -> QFileDialog:
        return self._file_dialog("customers.csv")

    def _file_dialog(self, name: str) -> QFileDialog:
        folder = self._settings.value(_FOLDER_KEY) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(self._window, "Export list", str(Path(str(folder)) / name),
                             FORMATS)
        dialog.setObjectName("exportFile")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_to)
        dialog.open()
        return dialog

    def export_to(self, chosen: str) -> None:
        path = Path(chosen)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            inform(self._window, "Export list",
                   f"“{path.name}” is neither .csv nor .xlsx: name the file customers.csv "
                   "(comma-separated, for any spreadsheet) or customers.xlsx (Excel).")
            self._file_dialog(path.name)
            return
        self._settings.setValue(_FOLDER_KEY, str(path.parent))
        customers = self._list.proxy.customers()
        shown = self._list.column_layout().shown()
        stop = threading.Event()
        progress = QProgressDialog(f"Exporting {len(customers):,} customers to {path.name}…",
                                   "Stop", 0, len(customers), self._window)
        progress.setObjectName("exportProgress")
        progress.setWindowTitle("Export list")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.canceled.connect(stop.set)
        self.progressed.connect(progress.setValue)
        self.progress = progress

        def work() -> int:
            def report(done: int) -> bool:
                self.progressed.emit(done)
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

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progressed.disconnect(self.progress.setValue)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
