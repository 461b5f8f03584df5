"""Deactivate (the API's soft delete) and reactivate: explicit, confirmed, on a worker.

These go straight to the server rather than through the outbox: they are deliberate acts
the user confirms, and a refusal (409 while subscriptions run) must be answered at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import (
    AnswerLost,
    ApiRefusal,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    Unreachable,
    user_text,
)
from flexdesk.api.models import Customer, CustomerStatus
from flexdesk.ui.common.dialogs import confirm
from flexdesk.ui.common.workers import JobRunner

_IN_USE = {"CUSTOMER_HAS_ACTIVE_SUBSCRIPTIONS": "has active subscriptions",
           "CUSTOMER_HAS_PENDING_ORDERS": "has pending orders"}


def refusal_text(exc: Exception) -> str:
    """What to tell the user when the server would not change the status."""
    if isinstance(exc, Conflict):
        what = _IN_USE.get(exc.code, "is in use")
        return (f"Refused: this customer {what}, so it cannot be deactivated until they end. "
                f"({exc.message})")
    if isinstance(exc, NotFound):
        return "This customer no longer exists on the server."
    if isinstance(exc, Unauthorized | Forbidden):
        return f"The server refused the credentials: {exc.message}."
    if isinstance(exc, Unreachable):
        return f"Cannot reach FlexPortal ({exc.message}); try again when you are online."
    if isinstance(exc, ApiRefusal):
        return f"The server refused the change: {exc.message}"
    reason = user_text(exc)
    return f"The status was not changed: {reason}."


class StatusChanger(QObject):
    changed = Signal(Customer, str)  # the customer as the server now has it, what was done
    refused = Signal(str)

    def __init__(self, client: FlexPortalClient, jobs: JobRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._jobs = jobs

    def deactivate(self, customer: Customer, ask_from: QWidget) -> None:
        name = customer.display_name
        if not confirm(ask_from, "Deactivate customer",
                       f"Deactivate {name} ({customer.email})?\n\nThe customer is hidden "
                       "from the active list and can be reactivated later."):
            return
        customer_id = customer.customer_id

        def deactivate_and_fetch() -> Customer:
            self._client.delete_customer(customer_id)
            return self._client.get_customer(customer_id)  # DELETE answers no record

        self._run(deactivate_and_fetch, f"Deactivated {name}")

    def reactivate(self, customer: Customer) -> None:
        customer_id = customer.customer_id

        def reactivate_and_confirm() -> Customer:
            try:
                return self._client.update_customer(customer_id, {"status": "active"})
            except AnswerLost:
                # It may have landed: read before asking again (asking again is harmless,
                # but the record as it is now is what the editor needs anyway).
                now = self._client.get_customer(customer_id)
                if now.status is CustomerStatus.ACTIVE:
                    return now
                return self._client.update_customer(customer_id, {"status": "active"})

        self._run(reactivate_and_confirm, f"Reactivated {customer.display_name}")

    def _run(self, work: Callable[[], Customer], done: str) -> None:
        self._jobs.submit("status change", work,
                          lambda answer: self.changed.emit(answer, done),
                          lambda exc: self.refused.emit(refusal_text(exc)))
