"""The list is the copy of the whole tenant: indexed in the background, searched whole,
filtered without asking the server, refreshed in place, and resumed where it stopped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.api.models import Customer, CustomerStatus, CustomerType
from flexdesk.api.rows import CustomerRow
from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.customers.customer_table import RECORD_ROLE
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN
from tests.factories import make_customer
from tests.ui.conftest import WindowFactory

CTRL = Qt.KeyboardModifier.ControlModifier


def server(sandbox: SandboxServer, status: CustomerStatus = CustomerStatus.ACTIVE
           ) -> list[Customer]:
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as api:
        return list(api.iter_customers(CustomerQuery(status=status)))


def shown(window: MainWindow) -> list[CustomerRow]:
    proxy = window.list.proxy
    return [proxy.index(r, 0).data(RECORD_ROLE) for r in range(proxy.rowCount())]


def start_slowly(qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer) -> MainWindow:
    """A first start on a slow server, stopped once the first page is on screen."""
    sandbox.faults.latency = 0.3
    window = make_window()
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.customers.rowCount() > 0, timeout=5000)
    window.action_map["stop_loading"].trigger()
    qtbot.waitUntil(lambda: not window.loader.stepping, timeout=5000)
    sandbox.faults.latency = 0
    return window


def test_the_whole_tenant_is_shown_in_the_servers_order(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    assert [c.customer_id for c in shown(window)] == [c.customer_id for c in server(big_sandbox)]
    assert window.loader.complete
    assert "up to date" in window.status.row_count.text()
    assert not window.action_map["stop_loading"].isEnabled()
    inactive = {c.customer_id for c in server(big_sandbox, CustomerStatus.INACTIVE)}
    assert inactive and all(window.customers.row_of(i) is not None for i in inactive)


def test_filters_are_instant_and_ask_no_server(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    big_sandbox.clear_requests()
    window.list.status_filter.setCurrentText("Inactive")
    assert [c.customer_id for c in shown(window)] == [
        c.customer_id for c in server(big_sandbox, CustomerStatus.INACTIVE)]
    big_sandbox.clear_requests()
    window.list.status_filter.setCurrentText("All")
    window.list.type_filter.setCurrentText("Businesses")
    records = shown(window)
    assert {c.customer_type for c in records} == {CustomerType.BUSINESS}
    assert {c.status for c in records} == {CustomerStatus.ACTIVE, CustomerStatus.INACTIVE}
    assert big_sandbox.requests == []


def test_search_covers_everyone_by_name_in_either_order_city_postal_code_and_phone(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    last = server(big_sandbox)[-1]  # on the last page of the tenant
    assert last.last_billing_address is not None and last.phone
    for typed in (f"{last.last_name} {last.first_name}",
                  f"{last.first_name} {last.last_name}",
                  last.last_billing_address.postal_code or last.email,
                  "0" + "".join(ch for ch in last.phone if ch.isdigit())[2:]
                  if last.phone.startswith("+31") else last.phone):
        window.list.search.setText(typed)
        assert last.customer_id in {c.customer_id for c in shown(window)}, typed


def test_a_first_start_shows_the_first_page_then_indexes_the_rest_and_can_stop(
    qtbot: QtBot, make_window: WindowFactory, big_sandbox: SandboxServer
) -> None:
    window = start_slowly(qtbot, make_window, big_sandbox)
    indexed = window.customers.rowCount()  # the first page, and the one already on its way
    assert indexed in (100, 200)
    assert f"indexing: {indexed} so far (stopped: F5 goes on)" in window.status.row_count.text()
    late = server(big_sandbox)[-1]
    window.list.focus_search()
    qtbot.keyClicks(window.list.search, late.email.split("@")[0])
    assert window.list.no_match.isVisible()
    assert "Press Return to index the rest" in window.list.no_match.text()

    qtbot.keyClick(window.list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: late.customer_id in {c.customer_id for c in shown(window)},
                    timeout=10000)
    qtbot.waitUntil(lambda: window.loader.complete, timeout=10000)
    assert not window.list.no_match.isVisible()


def test_indexing_goes_on_after_a_restart_from_the_page_it_reached(
    qtbot: QtBot, make_window: WindowFactory, big_sandbox: SandboxServer
) -> None:
    first = start_slowly(qtbot, make_window, big_sandbox)
    first.close()
    first.shutdown()
    big_sandbox.clear_requests()

    again = make_window()
    again.start()
    qtbot.waitUntil(lambda: again.loader.complete, timeout=10000)
    pages = [r for r in big_sandbox.requests if r.path == "/v1/customers"]
    assert pages[0].query.get("startAfter"), "it went on; it did not start over"
    assert again.customers.rowCount() == len(server(big_sandbox)) + len(
        server(big_sandbox, CustomerStatus.INACTIVE))


def test_f5_refreshes_in_place_keeping_the_selection_and_dropping_the_departed(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer, store: Store
) -> None:
    target = shown(window)[7]
    window.list.select_customer(target.customer_id)
    kept = shown(window)[8]
    with FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN) as api:
        api.update_customer(target.customer_id, {"phone": "+31 30 123 4567"})
    departed = make_customer(9999)  # kept here, but the server has it no more
    store.cache_customers(ConnectionKey(big_sandbox.base_url, TENANT), [departed])
    window.customers.append([departed])

    qtbot.keyClick(window.list.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.loader.progress is not None, timeout=2000)
    qtbot.waitUntil(lambda: window.loader.complete, timeout=10000)
    selected = window.list.selected_customer()
    assert selected is not None and selected.customer_id == target.customer_id
    assert selected.phone == "+31 30 123 4567"
    row = window.customers.row_of(kept.customer_id)
    assert row is not None and window.customers.row_at(row) is kept  # not a copy
    assert window.customers.row_of(departed.customer_id) is None


@pytest.mark.expect_log("loading customers failed")
def test_a_failed_page_says_why_keeps_the_rows_and_goes_on_with_retry(
    qtbot: QtBot, window: MainWindow, big_sandbox: SandboxServer
) -> None:
    before = window.customers.rowCount()
    big_sandbox.faults.script(500)
    qtbot.keyClick(window.list.table, Qt.Key.Key_F5)
    qtbot.waitUntil(window.status.retry_button.isVisible, timeout=5000)
    assert "Could not load customers" in window.status.load_error.text()
    assert window.customers.rowCount() == before

    qtbot.mouseClick(window.status.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.loader.complete, timeout=10000)
    assert not window.status.retry_button.isVisible()


def test_an_email_not_indexed_yet_is_asked_of_the_server(
    qtbot: QtBot, make_window: WindowFactory, big_sandbox: SandboxServer
) -> None:
    window = start_slowly(qtbot, make_window, big_sandbox)
    later = server(big_sandbox)[-1]
    assert window.customers.row_of(later.customer_id) is None
    big_sandbox.clear_requests()
    window.list.search.setText(later.email)
    qtbot.waitUntil(lambda: [c.customer_id for c in shown(window)] == [later.customer_id],
                    timeout=5000)
    assert any(r.query.get("email") == later.email for r in big_sandbox.requests)


def test_f5_while_the_copy_is_read_at_start_fetches_each_page_once(
    qtbot: QtBot, window: MainWindow, make_window: WindowFactory, big_sandbox: SandboxServer
) -> None:
    window.close()
    window.shutdown()
    big_sandbox.clear_requests()
    again = make_window()
    again.start()
    assert again.loader.reading_cache
    again.action_map["refresh"].trigger()  # F5 before the copy is even on screen
    qtbot.waitUntil(lambda: again.loader.complete and not again.loader.loading, timeout=10000)
    pages = [(r.query.get("status"), r.query.get("startAfter")) for r in big_sandbox.requests
             if r.path == "/v1/customers"]
    assert pages and len(pages) == len(set(pages)), "one pass, each page asked for once"
    assert again.loader.error is None
    assert again.customers.rowCount() == len(server(big_sandbox)) + len(
        server(big_sandbox, CustomerStatus.INACTIVE))
