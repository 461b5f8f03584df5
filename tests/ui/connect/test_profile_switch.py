"""Switching profile gives a window of the other tenant: none of the first one's drafts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.connection import Connection
from flexdesk.credentials import store_key, stored_key
from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.store import Store
from flexdesk.ui.connect.first_run import CUSTOM, FirstRunDialog
from flexdesk.ui.connect.profiles import Profiles
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.helpers import puts, type_into
from tests.unit.test_credentials import MemoryKeyring

OTHER = "globex"


@pytest.fixture
def two_profiles(big_sandbox: SandboxServer, settings: QSettings) -> Iterator[Profiles]:
    big_sandbox.add_tenant(OTHER, customers=30, seed=9)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    profiles = Profiles(settings)
    for name, tenant in (("first", TENANT), ("second", OTHER)):
        profiles.save(name, big_sandbox.base_url, tenant)
        store_key(big_sandbox.base_url, tenant, TOKEN)
    yield profiles
    keyring.set_keyring(previous)


@pytest.mark.usefixtures("two_profiles")
def test_a_switch_never_shows_or_sends_the_other_tenants_drafts(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, settings: QSettings,
    store: Store, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_customer(window.customers.customer_at(0))
    type_into(qtbot, window, "company", "Draft Of The First Tenant")
    big_sandbox.faults.script(*[Faults.DROP] * 200)
    window.editor.save()  # queued: the server does not answer
    qtbot.waitUntil(lambda: window.sync.pending() == 1 and not window.sync.sending,
                    timeout=5000)

    window.profiles.switch("second")
    assert not window.isVisible()
    assert not window.sync.probing, "a closed window stops calling the server"
    following = window.next_connection
    assert isinstance(following, Connection)
    assert (following.tenant_id, following.title) == (OTHER, "second")
    big_sandbox.faults.reset()
    big_sandbox.clear_requests()

    with opened_window(qtbot, following, settings, store) as other:
        assert other.windowTitle() == "second[*]"
        assert other.status.draft_count.text() == ""
        assert other.customers.draft_ids() == frozenset()
        assert other.sync.pending() == 0
        assert puts(big_sandbox) == []
        assert all(r.headers["tenant-id"] == OTHER for r in big_sandbox.requests)

        # The first tenant's draft is not hidden: greyed in the panel, it says where it
        # belongs, and Return offers to go there.
        other.show()
        other.drafts_dock.show()
        model = other.drafts_dock.model
        qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=2000)
        assert model.is_elsewhere(0)
        assert model.index(0, 5).data() == "profile first"
        asked: list[str] = []

        def confirm(_parent: object, _title: str, text: str) -> bool:
            asked.append(text)
            return True

        monkeypatch.setattr("flexdesk.ui.window.profile_switcher.confirm", confirm)
        other.drafts_dock.table.setFocus()
        other.drafts_dock.table.setCurrentIndex(model.index(0, 0))
        qtbot.keyClick(other.drafts_dock.table, Qt.Key.Key_Return)
        assert asked and "belongs to profile first" in asked[0]
        assert other.next_connection is not None
        assert other.next_connection.tenant_id == TENANT


@contextmanager
def opened_window(qtbot: QtBot, connection: Connection, settings: QSettings,
                  store: Store) -> Iterator[MainWindow]:
    """The window the app opens after a switch, shut down afterwards as the app does."""
    client = FlexPortalClient(connection.base_url, connection.tenant_id, connection.token)
    window = MainWindow(connection, client, settings, store)
    qtbot.addWidget(window)
    try:
        window.start()
        qtbot.waitUntil(lambda: window.customers.rowCount() > 0 and not window.loader.loading
                        and not window.sync.sending, timeout=5000)
        yield window
    finally:
        window.shutdown()
        client.close()


def test_the_menu_entry_says_when_there_is_no_profile_to_switch_to(window: MainWindow) -> None:
    window.action_map["switch_profile"].trigger()
    assert window.isVisible()
    assert "No profiles yet" in window.status.notice.text()
    assert "Connect to FlexPortal" in window.status.notice.text()


@pytest.mark.usefixtures("two_profiles")
def test_connect_makes_a_profile_with_a_tested_key_and_switches_to_it(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, settings: QSettings,
) -> None:
    window.action_map["connect"].trigger()
    dialog = window.findChild(FirstRunDialog)
    assert isinstance(dialog, FirstRunDialog)
    assert dialog.windowTitle() == "Connect to FlexPortal"
    assert dialog.real.isChecked() and not dialog.sandbox.isVisible()
    dialog.region.setCurrentText(CUSTOM)
    dialog.url.setText(big_sandbox.base_url)
    dialog.tenant.setText(OTHER)
    dialog.key.setText(TOKEN)
    dialog.name.setText("globex-local")
    dialog.accept()

    following = window.next_connection
    assert isinstance(following, Connection)
    assert (following.tenant_id, following.title) == (OTHER, "globex-local")
    assert not window.isVisible()
    profiles = Profiles(settings)
    assert "globex-local" in profiles.names() and profiles.last() == "globex-local"
    assert stored_key(big_sandbox.base_url, OTHER) == TOKEN
