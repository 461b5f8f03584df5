"""Likely duplicates, by keyboard: each customer of a group opened one by one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.sandbox import SandboxServer
from flexdesk.ui.customers.duplicates_dialog import DuplicatesDialog
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_a_shared_phone_is_a_group_whose_customers_open_one_by_one(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    first, second = window.customers.customer_at(2), window.customers.customer_at(40)
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        api.update_customer(second.customer_id, {"phone": "+31 6 1357 2468"})
        api.update_customer(first.customer_id, {"phone": "06-13572468"})  # the same number
    window.loader.refresh()
    qtbot.waitUntil(lambda: window.loader.complete and not window.loader.loading, timeout=5000)

    window.list.focus_search()
    qtbot.keyClick(window.list.search, Qt.Key.Key_G, CTRL_SHIFT)
    dialog = window.findChild(DuplicatesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.tree, timeout=2000)
    groups = [top for i in range(dialog.tree.topLevelItemCount())
              if (top := dialog.tree.topLevelItem(i)) is not None]
    phone_group = next(top for top in groups if top.text(0).startswith("same phone"))
    members = [member for r in range(phone_group.childCount())
               if (member := phone_group.child(r)) is not None]
    assert {member.text(1) for member in members} == {first.email, second.email}

    dialog.tree.setCurrentItem(members[0])
    for row, member in enumerate(members):
        if row:
            qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
        opened = window.editor.customer
        assert opened is not None and opened.email == member.text(1)
        assert dialog.isVisible(), "the next one is a key away"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
