"""A server rule stricter than ours: its field errors must land on their fields."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.retry import NO_RETRY
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.drafts.draft_keeper import DraftKeeper
from flexdesk.ui.drafts.sync_controller import SyncController
from flexdesk.ui.editor.customer_editor import CustomerEditor
from tests.factories import make_customer

REFUSAL = {"error": {
    "code": "VALIDATION_ERROR",
    "message": "billingAddress.postalCode is not in use",
    "details": [{"field": "billingAddress.postalCode",
                 "message": "is not a Dutch postal code in use"}],
}}


def test_the_servers_field_errors_land_on_their_fields(qtbot: QtBot, tmp_path: Path) -> None:
    # The sandbox applies the form's own rules, so it cannot refuse a postal code the form
    # takes; a server that knows which codes are in use can, and a scripted transport plays it.
    sent: list[object] = []
    customer = make_customer(1)

    def refuse(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":  # the sync step reads the record first
            return httpx.Response(200, json=customer.model_dump(mode="json"))
        sent.append(json.loads(request.content))
        return httpx.Response(422, json=REFUSAL)

    client = FlexPortalClient("https://api-eu.flexportal.io", "t", "k", retry=NO_RETRY,
                              transport=httpx.MockTransport(refuse))
    jobs = JobRunner()
    store = Store.open(tmp_path / "drafts.sqlite3")
    connection = ConnectionKey(client.base_url, client.tenant_id)
    keeper = DraftKeeper(store, connection)
    sync = SyncController(store, connection, client, jobs)
    editor = CustomerEditor(client, jobs, keeper, sync)
    qtbot.addWidget(editor)
    editor.open(customer)
    postal = editor.fields["billingAddress.postalCode"]
    assert isinstance(postal, QLineEdit)
    editor.show()
    postal.setFocus()
    postal.selectAll()
    qtbot.keyClicks(postal, "1099 ZZ")

    editor.save()
    qtbot.waitUntil(lambda: not editor.saving, timeout=5000)

    assert len(sent) == 1
    error = editor.rows["billingAddress.postalCode"].error
    assert error.isVisible() and "Dutch postal code in use" in error.text()
    assert QApplication.focusWidget() is postal
    assert postal.text() == "1099 ZZ" and editor.rows["billingAddress.postalCode"].dirty
    assert editor.form.save_button.isEnabled()
    jobs.wait_for_done(5000)
    keeper.flush()
    store.close()
    client.close()
