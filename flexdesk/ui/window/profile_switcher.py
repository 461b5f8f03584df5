"""Moving the app to another connection: pick a saved profile, make a new one, or go where a
draft of another profile belongs. The window then closes, and the application opens one on
`window.next_connection`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QInputDialog

from flexdesk.connection import SANDBOX_IDENTITY
from flexdesk.store import ConnectionKey, Draft
from flexdesk.ui.common.dialogs import confirm
from flexdesk.ui.connect.profiles import ProfileError, Profiles

if TYPE_CHECKING:
    from flexdesk.ui.window.main_window import MainWindow


class ProfileSwitcher(QObject):
    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings

    def choose(self) -> None:
        """File > Switch profile: pick one of the saved profiles."""
        names = Profiles(self._settings).names()
        if not names:
            self._window.status.notify(
                "No profiles yet: File > Connect to FlexPortal makes one.", 8000)
            return
        name, chosen = QInputDialog.getItem(self._window, "Switch profile", "&Profile:", names,
                                            0, False)
        if chosen:
            self.switch(name)

    def connect_elsewhere(self) -> None:
        """File > Connect to FlexPortal: a new profile (tested key), then switch to it."""
        # Imported here: start-up never needs the dialog.
        from flexdesk.ui.connect.first_run import FirstRunDialog, adopt_choice

        dialog = FirstRunDialog(self._window, offer_sandbox=False)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def adopt() -> None:
            following = adopt_choice(dialog, Profiles(self._settings))
            if following is not None:
                self._window.next_connection = following
                self._window.close()

        dialog.accepted.connect(adopt)
        dialog.open()

    def switch(self, name: str) -> None:
        """Close this window and open one on another profile (its own list, cache, drafts)."""
        profiles = Profiles(self._settings)
        try:
            self._window.next_connection = profiles.connection(name)
        except ProfileError as problem:
            self._window.status.notify(str(problem), 10000)
            return
        profiles.remember_last(name)
        self._window.close()

    def describe(self, key: ConnectionKey) -> str:
        """Another connection, for people: its profile, the built-in sandbox, or the server."""
        if key.base_url.startswith(SANDBOX_IDENTITY):
            return "the built-in sandbox"
        name = Profiles(self._settings).name_for(key.base_url, key.tenant_id)
        return f"profile {name}" if name else f"tenant {key.tenant_id} at {key.base_url}"

    def go_to_draft(self, draft: Draft) -> None:
        """A draft of another connection: it can only be sent from there, so offer to go."""
        key, customer = draft.connection, draft.base_customer().display_name
        name = Profiles(self._settings).name_for(key.base_url, key.tenant_id)
        notify = self._window.status.notify
        if key.base_url.startswith(SANDBOX_IDENTITY):
            notify(f"The draft of {customer} belongs to the built-in sandbox: start flexdesk "
                   "with --sandbox to send it.", 10000)
        elif name is None:
            notify(f"The draft of {customer} belongs to tenant {key.tenant_id} at "
                   f"{key.base_url}: start flexdesk with --api-url {key.base_url} --tenant "
                   f"{key.tenant_id} to send it.", 10000)
        elif confirm(self._window, "Switch profile",
                     f"The draft of {customer} belongs to profile {name}. Switch to it?"):
            self.switch(name)
