"""View > Likely duplicates: the groups of customers who share an email, a phone number, or a
name and postal code, each customer openable one by one (Return), the window staying open
beside the editor. Nothing is merged: the API cannot, and a person decides."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flexdesk.api.models import Customer
from flexdesk.api.rows import CustomerRow
from flexdesk.listing.duplicates import likely_duplicates
from flexdesk.listing.text import counted
from flexdesk.ui.common.plain import plain_label

if TYPE_CHECKING:
    from flexdesk.api.rows import Listed

_CUSTOMER = Qt.ItemDataRole.UserRole


class DuplicatesDialog(QDialog):
    open_requested = Signal(Customer)

    def __init__(self, customers: Iterable[Listed], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("likelyDuplicates")
        self.setWindowTitle("Likely duplicates")
        groups = likely_duplicates(customers)
        self.summary = plain_label(
            f"{counted(len(groups), 'group')} of customers that may be the same person. "
            "Return opens the customer in focus; flexdesk merges nothing." if groups else
            "No customers share an email, a phone number, or a name and postal code.", self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Shared / customer", "Email", "Phone", "City"])
        self.tree.setAccessibleName("Groups of likely duplicates")
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for group in groups:
            top = QTreeWidgetItem(self.tree, [f"{group.reason}: {group.shared} "
                                              f"({len(group.customers)})"])
            for customer in group.customers:
                address = customer.last_billing_address
                item = QTreeWidgetItem(top, [customer.display_name, customer.email,
                                             customer.phone or "",
                                             address.city if address else ""])
                item.setData(0, _CUSTOMER, customer)
            top.setExpanded(True)
        self.tree.itemActivated.connect(self._activated)
        first = self.tree.topLevelItem(0)
        member = first.child(0) if first is not None else None
        if member is not None:
            self.tree.setCurrentItem(member)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():  # Return opens a customer; it never closes this
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(760, 480)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        customer = item.data(0, _CUSTOMER)
        if isinstance(customer, CustomerRow):  # the list's rows: the model is made now
            customer = customer.customer()
        if isinstance(customer, Customer):
            self.open_requested.emit(customer)
