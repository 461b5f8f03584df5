"""The main window: customer list and editor side by side, menus, toolbar and status bar.

Built in two steps (issue #21): the list, filled from the copy on this computer, is shown and
painted first, with nothing of httpx or pydantic imported; `connect_client` then adds all that
talks to the server or edits (the editor, sync, drafts, menus and their dialogs).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flexdesk import __version__
from flexdesk.connection import Connection
from flexdesk.listing.paging import CopyReader
from flexdesk.store import Draft, Store
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_list import CustomerList
from flexdesk.ui.customers.customer_loader import CustomerLoader
from flexdesk.ui.customers.customer_table import CustomerTableModel
from flexdesk.ui.shortcuts.actions import build_menu_frame
from flexdesk.ui.window.layout import LayoutMemory
from flexdesk.ui.window.status_line import StatusLine

if TYPE_CHECKING:  # these need httpx or pydantic: imported after the first paint
    from flexdesk.api.client import FlexPortalClient
    from flexdesk.api.models import Customer
    from flexdesk.ui.customers.duplicates_dialog import DuplicatesDialog
    from flexdesk.ui.customers.list_export import ListExport
    from flexdesk.ui.customers.list_import import ListImport
    from flexdesk.ui.customers.saved_views import ViewSwitcher
    from flexdesk.ui.drafts.draft_keeper import DraftKeeper
    from flexdesk.ui.drafts.drafts_dock import DraftsDock
    from flexdesk.ui.drafts.sync_controller import SyncController
    from flexdesk.ui.editor.customer_editor import CustomerEditor
    from flexdesk.ui.shortcuts.shortcut_settings import ShortcutEditor
    from flexdesk.ui.window.profile_switcher import ProfileSwitcher


DEFAULT_SPLIT = (775, 501)  # the list's and the editor's widths, until the user moves them


class MainWindow(QMainWindow):
    # Made by `connect_client`, once there is a client.
    keeper: DraftKeeper
    sync: SyncController
    editor: CustomerEditor
    export: ListExport
    importer: ListImport
    profiles: ProfileSwitcher
    drafts_dock: DraftsDock
    views: ViewSwitcher
    action_map: dict[str, QAction]

    def __init__(self, connection: Connection, client: FlexPortalClient | None,
                 settings: QSettings, store: Store, parent: QWidget | None = None, *,
                 log_dir: Path | None = None, store_notice: str = "") -> None:
        """The list and the status bar; the rest with `connect_client(client)`, at once when a
        client is given here."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._settings = settings
        self._connection = connection
        self._show_title("")
        # What opening the drafts file found (moved aside, read-only), for the whole session.
        self._store_notice = store_notice or (
            "The drafts file cannot be written: changes cannot be kept or saved."
            if store.read_only else "")
        self._log_dir = log_dir
        # Set when the user switches profile; the application then opens a window for it.
        self.next_connection: Connection | None = None
        self.jobs = JobRunner(self)
        self.customers = CustomerTableModel(self)
        key = connection.store_key
        self.loader = CustomerLoader(None, self.jobs, self.customers, self, copy=None,
                                     reader=CopyReader(store, key))
        self.list = CustomerList(self.customers, self.loader, self)
        self._store, self._key = store, key
        self._started = False
        self._connected = False
        self.status = StatusLine(self)
        build_menu_frame(self)
        # The editor's place, until `connect_client` puts the editor there.
        self.splitter = self._build_centre(QWidget(self))
        self.resize(1280, 800)
        self.layout_memory = LayoutMemory(self, self.splitter, self.list, settings)
        self.layout_memory.restore()
        self.status.show_store_trouble(self._store_notice)
        self.loader.changed.connect(self._show_load_state)
        self.list.search.textChanged.connect(self._show_load_state)
        self._show_load_state()
        if client is not None:
            self.connect_client(client)

    @property
    def connected(self) -> bool:
        """`connect_client` has built the editor, sync and menus."""
        return self._connected

    def use_connection(self, connection: Connection) -> None:
        """Where the server turned out to be (the built-in sandbox, on its new port): the
        same tenant and store key, a new address."""
        self._connection = connection

    def serve_from(self, client: FlexPortalClient) -> None:
        """The list's pass over the server, before (or without) the rest: a first start
        paints the first page before it builds the editor and the menus."""
        from flexdesk.listing.tenant_copy import TenantCopy

        if not self.loader.connected:
            self.loader.connect_client(client, TenantCopy(self._store, self._key, client))

    def connect_client(self, client: FlexPortalClient) -> None:
        """Everything that needs the server, the models or edits: after the first paint."""
        from flexdesk.ui.common.icons import app_icon
        from flexdesk.ui.customers.list_export import ListExport
        from flexdesk.ui.customers.list_import import ListImport
        from flexdesk.ui.customers.saved_views import SavedViews, ViewSwitcher
        from flexdesk.ui.drafts.draft_keeper import DraftKeeper
        from flexdesk.ui.drafts.drafts_dock import DraftsDock
        from flexdesk.ui.drafts.sync_controller import SyncController
        from flexdesk.ui.editor.customer_editor import CustomerEditor
        from flexdesk.ui.shortcuts.actions import DRAFTS_PANEL, VIEW_SLOTS, build_menus, configure
        from flexdesk.ui.shortcuts.shortcut_settings import apply_saved_shortcuts
        from flexdesk.ui.window.profile_switcher import ProfileSwitcher

        store, key, settings = self._store, self._key, self._settings
        self.serve_from(client)  # first: the page travels while the rest is built
        # Drawn from SVG at seven sizes (QtSvg and all: ~30 ms), so after the first paint.
        self.setWindowIcon(app_icon())
        self.export = ListExport(self.list, self.jobs, settings, self)
        self.keeper = DraftKeeper(store, key, self)
        self.sync = SyncController(store, key, client, self.jobs, self)
        self.importer = ListImport(store, key, client, self.jobs, settings=settings,
                                   window=self)
        self.editor = CustomerEditor(client, self.jobs, self.keeper, self.sync, self)
        self.profiles = ProfileSwitcher(self, settings)
        self.drafts_dock = DraftsDock(store, key, self.profiles.describe, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.drafts_dock)
        self.drafts_dock.hide()
        placeholder = self.splitter.replaceWidget(1, self.editor)  # (it keeps its size)
        if placeholder is not None:
            placeholder.deleteLater()

        self._build_actions()
        self.action_map["drafts_panel"] = configure(self.drafts_dock.toggleViewAction(),
                                                    DRAFTS_PANEL, self)
        slots = [configure(QAction(self), spec, self) for spec in VIEW_SLOTS]
        self.action_map |= {action.objectName(): action for action in slots}
        self.views = ViewSwitcher(SavedViews(settings, key), self.list, slots, self)
        self.views.current_changed.connect(self._show_title)
        build_menus(self, self.action_map)
        # Defaults first, then what the user remapped (F1 shows the result).
        apply_saved_shortcuts(self.menu_actions(), settings)
        self.status.retry_button.clicked.connect(self.loader.resume)

        self._connect_signals()
        if self.loader.offline and self.loader.error:  # said before sync was there to hear
            self.sync.report_unreachable(self.loader.error)
        self.layout_memory.restore_bars()
        self._show_drafts()
        self.status.show_store_trouble(self.keeper.problem or self._store_notice)
        self.editor.read_only = store.read_only
        self._connected = True
        self._show_load_state()
        if self._started:
            self.sync.send_now()

    # -- construction ----------------------------------------------------------------------

    def _build_centre(self, editor: QWidget) -> QSplitter:
        """The banners over the list and the editor side by side."""
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.list)
        splitter.addWidget(editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The editor comes after the first paint, into the place of `editor` (an empty
        # widget until then), so its share cannot come from its size hint: these are the
        # widths the two took at the default size (1280) when it did.
        splitter.setSizes(list(DEFAULT_SPLIT))
        splitter.setChildrenCollapsible(False)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.status.store_banner)
        column.addWidget(self.status.offline_banner)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        return splitter

    def _connect_signals(self) -> None:
        self.list.open_requested.connect(self.open_customer)
        self.loader.email_looked_up.connect(self._email_looked_up)
        self.editor.saved.connect(self.customers.replace)
        self.editor.record_changed.connect(self.customers.replace)
        self.editor.dirty_changed.connect(self._dirty_changed)
        self.keeper.drafts_changed.connect(self._show_drafts)
        self.keeper.trouble.connect(lambda text: self.status.show_store_trouble(
            text or self._store_notice))
        self.sync.state_changed.connect(self._show_load_state)
        self.sync.state_changed.connect(self._reload_if_back_online)
        self.loader.unreachable.connect(self.sync.report_unreachable)
        self.sync.run_finished.connect(self._show_drafts)
        self.sync.result.connect(self._show_drafts)
        self.sync.progress_changed.connect(self._show_sending)
        self.drafts_dock.open_requested.connect(self._open_draft)
        self.drafts_dock.discard_requested.connect(self._discard_draft)
        self.drafts_dock.switch_requested.connect(self.profiles.go_to_draft)
        # Leaving a field writes the draft at once, not after the typing pause.
        QApplication.instance().focusChanged.connect(self._focus_moved)  # type: ignore[union-attr]
        self.editor.leave_requested.connect(self.list.table.setFocus)
        self.editor.message.connect(lambda text: self.status.notify(text, 8000))
        self.export.finished.connect(lambda text: self.status.notify(text, 15000))
        self.importer.finished.connect(lambda text: self.status.notify(text, 15000))
        self.importer.queued.connect(self._send_imported)

    def _build_actions(self) -> None:
        """The window's actions from the one table; the editor has made its own."""
        from flexdesk.ui.shortcuts.actions import WINDOW as WINDOW_ACTIONS
        from flexdesk.ui.shortcuts.actions import build_actions

        self.action_map = {**self.editor.action_map, **build_actions(self, WINDOW_ACTIONS, {
            "refresh": self.loader.refresh, "stop_loading": self._stop,
            "send_pending": self.sync.retry_now,
            "switch_profile": self.profiles.choose, "connect": self.profiles.connect_elsewhere,
            "quit": self.close, "find": self.list.focus_search, "open": self._open_selected,
            "next_customer": lambda: self._step(1),
            "previous_customer": lambda: self._step(-1),
            "enter_moves_next": self._set_enter_moves,
            "customize_shortcuts": self.customize_shortcuts, "shortcuts": self.show_shortcuts,
            "open_log_folder": self._open_log_folder, "about": self._about,
            "columns": self.list.choose_columns, "likely_duplicates": self.show_duplicates,
            "views": lambda: self.views.dialog(self), "export_list": self.export.choose_file,
            "import_changes": self.importer.choose_file,
        })}
        self.action_map["open_log_folder"].setEnabled(self._log_dir is not None)
        enter_moves = self.action_map["enter_moves_next"]
        enter_moves.setChecked(
            bool(self._settings.value("editing/enterMovesNext", False, type=bool)))
        self.editor.enter_moves_next = enter_moves.isChecked()

    def _send_imported(self, _count: int) -> None:
        # New drafts, so `drafts_changed` marks them in the list and the drafts panel.
        self.keeper.reload()
        self.sync.send_now()

    # -- loading ---------------------------------------------------------------------------

    def start(self) -> None:
        self.list.proxy.set_scope(self.list.scope().marks())
        self._started = True
        self.loader.start()
        if self.connected:
            self.sync.send_now()  # saves queued in an earlier session go out first thing

    def _show_load_state(self) -> None:
        loader = self.loader
        self.layout_memory.fit_columns_once()
        if self.connected:
            sync = self.sync
            state = ("Offline" if not sync.online else "Sending…" if sync.sending
                     else "Loading…" if loader.loading else "Online")
            self.status.show_connection(state, sync.problem, online=sync.online,
                                        queued=sync.pending(),
                                        where=self._connection.whereabouts())
            self.status.show_retry(sync.next_attempt_at, sync.retry_reason)
        else:
            self.status.show_connection("Connecting…", "", online=True, queued=0,
                                        where=self._connection.whereabouts())
        proxy = self.list.proxy
        filtered = proxy.rowCount() != self.customers.rowCount() or bool(proxy.search_text)
        self.status.show_loading(loader, self.customers.rowCount(),
                                 proxy.rowCount() if filtered else None)
        self.list.show_search_state()
        if self.connected:
            self._show_sending()

    def _show_sending(self) -> None:
        sync = self.sync
        self.status.show_sending(sync.progress, held=sync.held,
                                 queued=sync.pending() if sync.held else 0)
        self.action_map["stop_loading"].setEnabled(self.loader.stoppable or sync.sending)

    def _stop(self) -> None:
        """Ctrl+.: stops both, the pages being fetched and the saves being sent."""
        if self.loader.stoppable:
            self.loader.stop()
        self.sync.stop_sending()

    def _email_looked_up(self, email: str, found: Customer | None) -> None:
        if found is not None:
            self.list.select_customer(found.customer_id)
            self.status.notify(f"Found {email} on the server", 5000)
        else:
            self.status.notify(f"No customer with email {email}", 5000)

    # -- opening customers -----------------------------------------------------------------

    def open_customer(self, customer: Customer) -> None:
        self.list.select_customer(customer.customer_id)
        self.editor.open(customer)
        self._dirty_changed(self.editor.session is not None and self.editor.session.is_dirty_any)
        self.editor.focus_first_field()

    def show_duplicates(self) -> DuplicatesDialog:
        """View > Likely duplicates: over the whole copy of the tenant, each group's customers
        opened one by one beside it (the dialog keeps the keyboard)."""
        from flexdesk.ui.customers.duplicates_dialog import DuplicatesDialog

        # Rows, not models: 100,000 models take a second and a half to make; the dialog
        # makes one when a customer is opened.
        customers = [self.customers.row_at(r) for r in range(self.customers.rowCount())]
        dialog = DuplicatesDialog(customers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def open_one(customer: Customer) -> None:
            self.list.select_customer(customer.customer_id)
            self.editor.open(customer)
            self._dirty_changed(bool(self.editor.session and self.editor.session.is_dirty_any))

        dialog.open_requested.connect(open_one)
        dialog.show()
        return dialog

    def _open_selected(self) -> None:
        customer = self.list.selected_customer()
        if customer is not None:
            self.open_customer(customer)

    def _step(self, rows: int) -> None:
        customer = self.list.step(rows)
        if customer is not None:
            self.open_customer(customer)

    def _show_title(self, view: str) -> None:
        title = self._connection.title  # Qt adds the app's name
        self.setWindowTitle(f"{view} — {title}[*]" if view else f"{title}[*]")

    def _dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        self._show_drafts()

    def _show_drafts(self) -> None:
        ids = set(self.keeper.draft_ids())
        current = self.editor.session
        if current is not None and current.is_dirty_any:
            ids.add(current.customer_id)
        self.customers.set_drafts(ids)
        self.status.show_drafts(len(ids), self.sync.pending())
        self.drafts_dock.refresh()

    def _reload_if_back_online(self) -> None:
        if self.sync.online:
            self.loader.resume()

    def _open_draft(self, draft: Draft) -> None:
        row = self.customers.row_of(draft.customer_id)
        customer = self.customers.customer_at(row) if row is not None else draft.base_customer()
        self.open_customer(customer)

    def _discard_draft(self, draft: Draft) -> None:
        from flexdesk.ui.common.dialogs import confirm

        name = draft.base_customer().display_name
        if not confirm(self, "Discard draft",
                       f"Discard your unsaved changes to {name}? They have not been sent "
                       "and cannot be brought back."):
            return
        self._store.discard(self._key, draft.customer_id)
        self.editor.forget_edits(draft.customer_id)
        self.keeper.reload()
        self._show_drafts()

    def _focus_moved(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and self.editor.isAncestorOf(old):
            self.keeper.flush()

    def show_shortcuts(self) -> None:
        from flexdesk.ui.shortcuts.shortcut_sheet import ShortcutSheet

        sheet = ShortcutSheet(self.menu_actions(), self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.show()
        sheet.filter.setFocus()

    def menu_actions(self) -> list[QAction]:
        """Every action of every menu, in menu order: what the shortcut sheet lists."""
        actions: list[QAction] = []
        for entry in self.menuBar().actions():
            menu = entry.menu()
            if isinstance(menu, QMenu):
                actions += [a for a in menu.actions() if not a.isSeparator()]
        return actions

    def customize_shortcuts(self) -> ShortcutEditor:
        from flexdesk.ui.shortcuts.actions import default_keys
        from flexdesk.ui.shortcuts.shortcut_settings import ShortcutEditor

        editor = ShortcutEditor(self.menu_actions(), default_keys(self.menu_actions()),
                                self._settings, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.show()
        return editor

    def _set_enter_moves(self, on: bool) -> None:
        self.editor.enter_moves_next = on
        self._settings.setValue("editing/enterMovesNext", on)

    def _open_log_folder(self) -> None:
        if self._log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_dir)))

    def _about(self) -> None:
        from flexdesk.ui.common.dialogs import inform

        inform(self, "About flexdesk", f"flexdesk {__version__}\nEdit FlexPortal customer "
               f"records.\n\n{self._connection.whereabouts()}")

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Nothing to ask: unsaved edits are drafts on disk and come back at the next start.
        if self.connected:
            if self.editor.session is not None:
                self.keeper.schedule(self.editor.session)
            self.keeper.flush()
            # A closed window calls the server no more, even before shutdown.
            self.sync.stop()
        self.layout_memory.save()
        self.loader.stop()
        super().closeEvent(event)

    def come_forward(self) -> None:
        """Another start of flexdesk asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def shutdown(self) -> None:
        if self.connected:
            self.sync.stop()
        self.jobs.wait_for_done(10_000)
        QApplication.processEvents()
