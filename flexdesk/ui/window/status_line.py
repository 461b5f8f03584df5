"""What the window says about itself: the status bar and the offline banner.

Connection state, how many customers are loaded (and matched), drafts waiting, how far
sending has got, the last refresh, why a page failed (with Retry), progress, and passing
messages. It only shows what
it is given; the window decides when.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QToolButton

from flexdesk.listing.text import counted
from flexdesk.ui.common.plain import tooltip
from flexdesk.ui.customers.customer_loader import CustomerLoader

if TYPE_CHECKING:  # sync needs pydantic: imported after the first paint (issue #21)
    from flexdesk.sync import SendProgress


class StatusLine(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.connection_state = self._label(window, "connectionState")
        self.row_count = self._label(window, "rowCount")
        self.draft_count = self._label(window, "draftCount")
        self.draft_count.setToolTip("Customers with unsaved changes kept on this computer")
        # A save the server could not take waits for its next try: when, and why.
        self.retry_state = self._label(window, "retryState")
        # While the outbox sends: sent / conflicts / failed / left, and the time to go.
        self.send_progress = self._label(window, "sendProgress")
        # Messages get a label of their own: QStatusBar.showMessage would hide the connection
        # state and the counts while it shows ("Saved …" after every save).
        self.notice = self._label(window, "notice")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.clear)
        self.load_error = self._label(window, "loadError")
        self.retry_button = QToolButton(window)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setText("Retry")
        self.progress = QProgressBar(window)
        self.progress.setObjectName("loadProgress")
        self.progress.setRange(0, 0)  # busy: the total is unknown until the last page
        self.progress.setMaximumWidth(120)
        self.progress.setAccessibleName("Loading customers")
        self.last_refresh = self._label(window, "lastRefresh")
        bar = window.statusBar()
        bar.addWidget(self.connection_state)
        bar.addWidget(self.row_count)
        bar.addWidget(self.draft_count)
        bar.addWidget(self.retry_state)
        bar.addWidget(self.send_progress)
        bar.addWidget(self.notice, 1)
        bar.addWidget(self.load_error, 1)
        bar.addWidget(self.retry_button)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.last_refresh)

        # Placed by the window, above the list and the editor: trouble with the drafts file
        # (damaged and moved aside, read-only, a full disk), then being offline.
        self.store_banner = self._label(window, "storeBanner")
        self.store_banner.setWordWrap(True)
        self.store_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.store_banner.setStyleSheet(
            "background: #fde7e9; color: #5f1016; padding: 6px; border-bottom: 1px solid #e0a0a6;")
        self.store_banner.hide()
        self.offline_banner = self._label(window, "offlineBanner")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.setStyleSheet(
            "background: #fff3cd; color: #4d3800; padding: 6px; border-bottom: 1px solid #e0c060;")
        self.offline_banner.hide()

    @staticmethod
    def _label(window: QMainWindow, name: str) -> QLabel:
        label = QLabel(window)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # server text is never markup
        return label

    def notify(self, text: str, msecs: int) -> None:
        """A passing message, beside the state that stays."""
        self.notice.setText(text)
        self.notice.setToolTip(tooltip(text))  # the bar may be too narrow for all of it
        self._notice_timer.start(msecs)

    def show_connection(self, state: str, problem: str, *, online: bool, queued: int,
                        where: str) -> None:
        self.connection_state.setText(f"● {state}")
        self.connection_state.setToolTip(tooltip(f"{problem or state.rstrip('…')}\n{where}"))
        waiting = counted(queued, "queued save") if queued else "Saves"
        self.offline_banner.setText(
            "Offline: FlexPortal does not answer. You can keep working; edits are kept on "
            f"this computer. {waiting} will go out as soon as the connection is back "
            "(F9 tries now).")
        self.offline_banner.setVisible(not online)

    def show_retry(self, next_try: float | None, reason: str) -> None:
        """'Server error; next try at 14:32 (F9 sends now)' while a save waits for a retry."""
        if next_try is None:
            self.retry_state.clear()
            self.retry_state.setToolTip("")
            return
        when = datetime.fromtimestamp(next_try).strftime("%H:%M")
        text = f"⟳ {reason or 'The server could not take a save'}; next try at {when} (F9 now)"
        self.retry_state.setText(text)
        self.retry_state.setToolTip(tooltip(text))

    def show_sending(self, progress: SendProgress | None, *, held: bool, queued: int) -> None:
        """'Sending: 12 sent · 1 conflict · 0 failed · 487 left · about 2 min to go' during
        a run; after Ctrl+. stopped one, what it left in line."""
        if progress is not None:
            parts = [f"{progress.sent:,} sent", counted(progress.conflicts, "conflict"),
                     f"{progress.failed:,} failed", f"{progress.left:,} left"]
            estimate = progress.seconds_left(time.monotonic())
            if estimate is not None and progress.left:
                parts.append(f"about {duration(estimate)} to go")
            text = f"⇡ Sending: {' · '.join(parts)}{' (stopping…)' if held else ''}"
        elif held and queued:
            text = f"⏸ Sending stopped: {counted(queued, 'save')} left in line (F9 sends)"
        else:
            text = ""
        self.send_progress.setText(text)
        self.send_progress.setVisible(bool(text))

    def show_store_trouble(self, text: str) -> None:
        self.store_banner.setText(text)
        self.store_banner.setVisible(bool(text))

    def show_loading(self, loader: CustomerLoader, loaded: int, matching: int | None) -> None:
        """`matching`: how many rows the search leaves, or None without a search."""
        more = ""
        if loader.progress is not None:
            fetched, total = loader.progress
            what = "indexing" if loader.up_to_date is None else "refreshing"
            how_far = f"{fetched:,} of ~{total:,}" if total else f"{fetched:,} so far"
            stopped = " (stopped: F5 goes on)" if loader.stopped else ""
            more = f" · {what}: {how_far}{stopped}"
        elif loader.up_to_date is not None and loader.cached_since is None:
            more = f" · up to date {loader.up_to_date:%H:%M}"
        if loader.cached_since is not None and not loader.reading_cache:
            age = max(0, int((datetime.now().astimezone() - loader.cached_since).total_seconds()
                             // 60))
            more += f" · kept on this computer since {loader.cached_since:%Y-%m-%d %H:%M} " \
                f"({age} min old)"
        of = f"{matching:,} of " if matching is not None else ""
        if loader.unreadable:  # the server sent them, but not in a shape that can be shown
            more += f" · {counted(loader.unreadable, 'customer')} could not be read"
        self.row_count.setText(f"{of}{loaded:,} customers{more}")
        if loader.last_loaded:
            self.last_refresh.setText(f"Refreshed {loader.last_loaded:%H:%M:%S}")
        self.load_error.setText(f"Could not load customers: {loader.error}" if loader.error
                                else "")
        self.retry_button.setVisible(loader.error is not None and not loader.stepping)
        self.progress.setVisible(loader.loading)

    def show_drafts(self, drafts: int, queued: int) -> None:
        text = f"✎ {counted(drafts, 'draft')}" if drafts else ""
        self.draft_count.setText(f"{text}, {queued} to send" if queued and text else text)


def duration(seconds: float) -> str:
    """A rough time for people: '40 s', '3 min', '1 h 20 min'."""
    if seconds < 59.5:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
