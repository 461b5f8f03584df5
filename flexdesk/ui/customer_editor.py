"""The customer form: contact fields, two address panels and the read-only facts."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flexdesk.api.models import Customer, CustomerStatus, CustomerType
from flexdesk.editing.fields import BILLING, FIELD_ORDER, SHIPPING, values_from_customer
from flexdesk.ui.address_panel import MAX_LENGTH, AddressPanel

CONTACT_LABELS = {
    "firstName": "Fi&rst name",
    "lastName": "&Last name",
    "email": "E&mail",
    "phone": "&Phone",
    "company": "Comp&any",
    "customerType": "Customer t&ype",
    "status": "&Status",
}
_REQUIRED_CONTACT = {"firstName", "lastName", "email"}

FieldWidget = QLineEdit | QComboBox


def _facts_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # server text is never rich text
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CustomerEditor(QWidget):
    """Shows one customer. Field widgets are named by their API path."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerEditor")
        self.customer: Customer | None = None
        self.fields: dict[str, FieldWidget] = {}

        self.heading = QLabel("No customer open", self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setObjectName("editorHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)

        body = QWidget(self)
        columns = QVBoxLayout(body)
        columns.addWidget(self._build_contact(body))
        addresses = QHBoxLayout()
        self.billing = AddressPanel(BILLING, body)
        self.shipping = AddressPanel(SHIPPING, body)
        addresses.addWidget(self.billing)
        addresses.addWidget(self.shipping)
        columns.addLayout(addresses)
        columns.addWidget(self._build_facts(body))
        columns.addStretch(1)
        self.fields.update(self.billing.fields)
        self.fields.update(self.shipping.fields)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("saveButton")
        self.revert_button = QPushButton("Revert all", self)
        self.revert_button.setObjectName("revertButton")
        for button in (self.save_button, self.revert_button):
            button.setEnabled(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.ResetRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self._chain_tab_order()
        self.setEnabled(False)

    def _build_contact(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Contact", parent)
        box.setObjectName("contact")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for path, text in CONTACT_LABELS.items():
            widget: FieldWidget
            if path == "customerType":
                widget = QComboBox(box)
                widget.addItems([t.value for t in CustomerType])
            elif path == "status":
                widget = QComboBox(box)
                widget.addItems([s.value for s in CustomerStatus])
            else:
                widget = QLineEdit(box)
                widget.setMaxLength(MAX_LENGTH)
            widget.setObjectName(path)
            shown = text + (" *" if path in _REQUIRED_CONTACT else "")
            label = QLabel(shown, box)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(label, widget)
            self.fields[path] = widget
        return box

    def _build_facts(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Record", parent)
        form = QFormLayout(box)
        self.facts: dict[str, QLabel] = {}
        for key, text in (("customerId", "Customer ID"), ("createdAt", "Created"),
                          ("updatedAt", "Updated"), ("totalOrders", "Orders"),
                          ("totalDevicesRented", "Devices rented"),
                          ("totalMonthlyRevenue", "Monthly revenue")):
            label = _facts_label(box)
            label.setObjectName(f"fact.{key}")
            form.addRow(text, label)
            self.facts[key] = label
        return box

    def _chain_tab_order(self) -> None:
        chain: list[QWidget] = [self.fields[path] for path in FIELD_ORDER]
        chain += [self.save_button, self.revert_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # -- showing a customer ----------------------------------------------------------------

    def show_customer(self, customer: Customer) -> None:
        self.customer = customer
        self.setEnabled(True)
        self.heading.setText(customer.display_name or customer.customer_id)
        for path, value in values_from_customer(customer).items():
            widget = self.fields[path]
            if isinstance(widget, QComboBox):
                widget.setCurrentText(value)
            else:
                widget.setText(value)
        when = "%Y-%m-%d %H:%M"
        self.facts["customerId"].setText(customer.customer_id)
        self.facts["createdAt"].setText(
            customer.created_at.astimezone().strftime(when) if customer.created_at else "—")
        self.facts["updatedAt"].setText(
            customer.updated_at.astimezone().strftime(when) if customer.updated_at else "—")
        self.facts["totalOrders"].setText(f"{customer.total_orders:g}")
        self.facts["totalDevicesRented"].setText(f"{customer.total_devices_rented:g}")
        self.facts["totalMonthlyRevenue"].setText(f"{customer.total_monthly_revenue:,.2f}")

    def focus_first_field(self) -> None:
        first = self.fields[FIELD_ORDER[0]]
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(first, QLineEdit):
            first.selectAll()
