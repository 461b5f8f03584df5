"""File > Import changes: a spreadsheet of changes, reviewed by keyboard, then sent as saves
through the outbox, with the three-way check, against the real sandbox."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.store import DraftState, Store
from flexdesk.ui.customers.import_review_dialog import ImportReviewDialog
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.ui.customers.test_list_export import open_file_dialog, type_path_and_return
from tests.ui.drafts.test_drafts import key
from tests.ui.helpers import puts, wait_all_loaded


def open_import_dialog(qtbot: QtBot, window: MainWindow) -> QFileDialog:
    dialog = open_file_dialog(qtbot, window, Qt.Key.Key_I)
    assert dialog.objectName() == "importFile"
    return dialog


def review_of(qtbot: QtBot, window: MainWindow, path: Path) -> ImportReviewDialog:
    type_path_and_return(qtbot, open_import_dialog(qtbot, window), path)
    qtbot.waitUntil(lambda: window.importer.review_dialog is not None, timeout=10000)
    dialog = window.importer.review_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.rows, timeout=2000)
    return dialog


def export(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    window.export.export_to(str(path))
    qtbot.waitUntil(lambda: window.status.notice.text().startswith("Exported"), timeout=10000)


def on_server(sandbox: SandboxServer, customer_id: str) -> Customer:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as api:
        return api.get_customer(customer_id)


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",",
              encoding: str = "utf-8-sig") -> None:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)


def edit_cells(path: Path, edits: dict[tuple[str, str], str]) -> None:
    """Change cells of an exported file as a spreadsheet user would: (customerId, column)."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as opened:
            table = list(csv.reader(opened))
        for row in table[1:]:
            for column, name in enumerate(table[0]):
                row[column] = edits.get((row[0], name), row[column])
        write_csv(path, table)
        return
    book = load_workbook(path)
    sheet = book.worksheets[0]
    names = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        for cell, header in zip(cells, names, strict=True):
            if (where := (str(cells[0].value), str(header))) in edits:
                cell.value = edits[where]
    book.save(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_exported_view_edited_in_a_spreadsheet_comes_back_as_exactly_its_changes(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store,
    tmp_path: Path, suffix: str,
) -> None:
    wait_all_loaded(qtbot, window)
    window.list.type_filter.setCurrentIndex(2)  # businesses
    shown = window.list.proxy.customers()
    target = tmp_path / f"businesses{suffix}"
    export(qtbot, window, target)

    chosen = shown[:8]
    edits: dict[tuple[str, str], str] = {}
    for number, customer in enumerate(chosen):
        edits[customer.customer_id, "phone"] = f"+31 6 5555 {number:04d}"
        edits[customer.customer_id, "company"] = f"Renamed {number} B.V."
    for customer in chosen[:4]:
        edits[customer.customer_id, "billingAddress.buildingInfo"] = "3rd floor"
    assert len(edits) == 20
    edit_cells(target, edits)
    big_sandbox.clear_requests()

    dialog = review_of(qtbot, window, target)
    review = dialog.review
    assert {(row.customer.customer_id, change.path, change.new)  # type: ignore[union-attr]
            for row in review.to_send() for change in row.changes} == {
        (customer_id, path, new) for (customer_id, path), new in edits.items()}
    assert dialog.counts.text() == (f"8 changes · {len(shown) - 8:,} no change · "
                                    "0 errors · 0 unknown customers")
    assert puts(big_sandbox) == [], "nothing is sent before the review is confirmed"

    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)  # the default button: queue them
    qtbot.waitUntil(lambda: len(puts(big_sandbox)) == 8 and not window.sync.sending,
                    timeout=15000)
    for body in puts(big_sandbox):
        customer_id = body["customerId"]
        assert body["phone"] == edits[customer_id, "phone"]
        assert body["company"] == edits[customer_id, "company"]
        if (customer_id, "billingAddress.buildingInfo") in edits:
            assert set(body) == {"customerId", "phone", "company", "billingAddress"}
            assert body["billingAddress"]["buildingInfo"] == "3rd floor"  # an address goes whole
            assert body["billingAddress"]["city"]
        else:
            assert set(body) == {"customerId", "phone", "company"}, "only what changed"
    for number, customer in enumerate(chosen):
        now = on_server(big_sandbox, customer.customer_id)
        assert (now.phone, now.company) == (f"+31 6 5555 {number:04d}", f"Renamed {number} B.V.")
    qtbot.waitUntil(lambda: window.sync.pending() == 0, timeout=5000)
    assert store.drafts(key(big_sandbox)) == []


def test_a_german_semicolon_file_reports_bad_rows_and_sends_only_the_good_one(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, tmp_path: Path,
) -> None:
    first, second, third = (window.customers.customer_at(row) for row in range(3))
    source = tmp_path / "Änderungen.csv"
    write_csv(source, [
        ["customerId", "Email", "Phone", "Notizen"],
        [first.customer_id, first.email, "'+49 30 1234 5678", "neue Nummer"],
        [second.customer_id, "kein-at-zeichen", second.phone or "", ""],
        ["cust_gibt_es_nicht", "x@example.com", "", ""],
        [third.customer_id, third.email.upper(), third.phone or "", ""],
    ], delimiter=";")
    big_sandbox.clear_requests()

    dialog = review_of(qtbot, window, source)
    assert dialog.counts.text() == "1 change · 1 no change · 1 error · 1 unknown customer"
    notes = dialog.findChild(type(dialog.counts), "importColumns")
    assert notes is not None and notes.text() == "Unknown columns, not imported: “Notizen”."
    states = {dialog.rows.topLevelItem(n).text(1): dialog.rows.topLevelItem(n).text(2)  # type: ignore[union-attr]
              for n in range(dialog.rows.topLevelItemCount())}
    assert states == {first.display_name: "change", second.display_name: "error",
                      "cust_gibt_es_nicht": "unknown customer", third.display_name: "no change"}

    # The rejected rows, by keyboard: Alt+S, a path, Return; the review stays open.
    rejected = tmp_path / "rejected.csv"
    qtbot.keyClick(dialog.rows, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QFileDialog),
                    timeout=2000)
    save_as = QApplication.activeModalWidget()
    assert isinstance(save_as, QFileDialog) and save_as.objectName() == "rejectedFile"
    type_path_and_return(qtbot, save_as, rejected)
    qtbot.waitUntil(rejected.exists, timeout=5000)
    with rejected.open(encoding="utf-8-sig", newline="") as opened:
        rows = list(csv.DictReader(opened))
    assert [(row["customerId"], row["reason"]) for row in rows] == [
        (second.customer_id, "Email: Not a valid email address"),
        ("cust_gibt_es_nicht", "no customer has the ID cust_gibt_es_nicht")]
    assert rows[0]["Notizen"] == "", "the row as the file had it, to fix and import again"

    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog, timeout=2000)
    dialog.rows.setFocus()
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(puts(big_sandbox)) == 1 and not window.sync.sending,
                    timeout=10000)
    assert puts(big_sandbox) == [{"customerId": first.customer_id, "phone": "+49 30 1234 5678"}]


def test_escape_cancels_the_review_and_nothing_is_queued(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store,
    tmp_path: Path,
) -> None:
    customer = window.customers.customer_at(0)
    source = tmp_path / "changes.csv"
    write_csv(source, [["customerId", "company"], [customer.customer_id, "Never Sent Ltd"]])
    dialog = review_of(qtbot, window, source)
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.importer.review_dialog is None, timeout=2000)
    assert window.status.notice.text() == "Import cancelled: nothing from changes.csv was queued"
    assert store.drafts(key(big_sandbox)) == []
    assert puts(big_sandbox) == []


def test_a_colleagues_change_between_import_and_send_becomes_a_conflict(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store,
    tmp_path: Path,
) -> None:
    same_field, other_field = window.customers.customer_at(4), window.customers.customer_at(5)
    source = tmp_path / "changes.csv"
    write_csv(source, [["customerId", "phone"],
                       [same_field.customer_id, "+31 6 1111 0000"],
                       [other_field.customer_id, "+31 6 2222 0000"]])
    dialog = review_of(qtbot, window, source)
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as colleague:
        colleague.update_customer(same_field.customer_id, {"phone": "+31 6 9999 0000"})
        colleague.update_customer(other_field.customer_id, {"company": "Colleague B.V."})
    big_sandbox.clear_requests()

    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)

    def conflicted() -> bool:
        draft = store.get_draft(key(big_sandbox), same_field.customer_id)
        return draft is not None and draft.state is DraftState.CONFLICT

    qtbot.waitUntil(lambda: conflicted() and not window.sync.sending, timeout=10000)
    assert puts(big_sandbox) == [{"customerId": other_field.customer_id,
                                  "phone": "+31 6 2222 0000"}]
    assert on_server(big_sandbox, same_field.customer_id).phone == "+31 6 9999 0000"
    merged = on_server(big_sandbox, other_field.customer_id)
    assert (merged.phone, merged.company) == ("+31 6 2222 0000", "Colleague B.V.")
    # The drafts panel holds the conflict for the user to settle, by name.
    window.action_map["drafts_panel"].trigger()
    model = window.drafts_dock.model

    def listed() -> list[tuple[str, str]]:
        return [(model.index(row, 0).data(), model.index(row, 1).data())
                for row in range(model.rowCount())]

    qtbot.waitUntil(lambda: len(listed()) == 1, timeout=5000)
    (name, state), = listed()
    assert name == same_field.display_name and "onflict" in state


def test_going_offline_halfway_sends_the_rest_when_the_server_is_back(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store,
    tmp_path: Path,
) -> None:
    customers = [window.customers.customer_at(row) for row in range(10, 16)]
    source = tmp_path / "changes.csv"
    write_csv(source, [["customerId", "company"],
                       *([c.customer_id, f"Moved {n} GmbH"] for n, c in enumerate(customers))])
    dialog = review_of(qtbot, window, source)
    big_sandbox.clear_requests()
    big_sandbox.faults.latency = 0.05
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(puts(big_sandbox)) >= 2, timeout=10000)
    big_sandbox.faults.script(*[Faults.DROP] * 1000)  # the network goes
    qtbot.waitUntil(lambda: not window.sync.online, timeout=10000)
    assert 0 < window.sync.pending() < 6

    big_sandbox.faults.reset()  # it is back: the probe notices, the rest goes out
    qtbot.waitUntil(lambda: window.sync.pending() == 0 and window.sync.online, timeout=15000)
    for number, customer in enumerate(customers):
        assert on_server(big_sandbox, customer.customer_id).company == f"Moved {number} GmbH"


def test_stop_while_customers_are_looked_up_queues_nothing(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store,
    tmp_path: Path,
) -> None:
    source = tmp_path / "strangers.csv"
    write_csv(source, [["customerId", "company"],
                       *([f"cust_elsewhere_{n}", "Ltd"] for n in range(20))])
    big_sandbox.faults.latency = 0.3  # each unknown id is asked of the server, slowly
    type_path_and_return(qtbot, open_import_dialog(qtbot, window), source)
    qtbot.waitUntil(lambda: window.importer.progress is not None
                    and window.importer.progress.isVisible(), timeout=5000)
    progress = window.importer.progress
    assert progress is not None
    qtbot.waitUntil(lambda: "Looking up 20 customers" in progress.labelText(), timeout=5000)
    qtbot.keyClick(progress, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.importer.progress is None, timeout=5000)
    big_sandbox.faults.latency = 0.0
    assert window.status.notice.text() == "Import stopped: nothing from strangers.csv was queued"
    assert window.importer.review_dialog is None
    assert store.drafts(key(big_sandbox)) == []


def test_a_file_named_like_markup_is_shown_as_its_name(
    qtbot: QtBot, window: MainWindow, tmp_path: Path,
) -> None:
    source = tmp_path / "<u>bold<u>.csv"
    write_csv(source, [["customerId", "company"], ["cust_nobody", "Ltd"]])
    window.importer.read(str(source))
    progress = window.importer.progress
    assert progress is not None
    label = progress.findChild(QLabel)
    assert label is not None and label.textFormat() is Qt.TextFormat.PlainText
    assert label.text() == "Reading <u>bold<u>.csv…"
    qtbot.waitUntil(lambda: window.importer.review_dialog is not None, timeout=10000)
    dialog = window.importer.review_dialog
    assert dialog is not None
    assert dialog.windowTitle() == "Import changes from <u>bold<u>.csv"
    dialog.reject()
