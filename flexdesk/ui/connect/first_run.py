"""First start without a connection: try the sandbox, or connect to FlexPortal with a tested key."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import Forbidden, Unauthorized, user_text
from flexdesk.api.plans import TenantPlan
from flexdesk.api.retry import RetryPolicy
from flexdesk.api.urls import REGIONS
from flexdesk.connection import Connection
from flexdesk.credentials import KeyringUnavailable, keyring_in_use, store_key
from flexdesk.ui.common.dialogs import inform
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.connect.profiles import ProfileError, Profiles

CUSTOM = "Custom URL"


class FirstRunDialog(QDialog):
    """`choice()` after accept: None for the sandbox, else the tested connection.

    Without `offer_sandbox` (File > Connect to FlexPortal in a running window) it asks only
    for a real connection.
    """

    def __init__(self, parent: QWidget | None = None, *, offer_sandbox: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self.setWindowTitle("Welcome to flexdesk" if offer_sandbox else "Connect to FlexPortal")
        self._jobs = JobRunner(self, max_threads=1)
        self.sandbox = QRadioButton("Try the &sandbox: sample customers, no account needed", self)
        self.real = QRadioButton("&Connect to FlexPortal", self)
        self.sandbox.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.sandbox)
        group.addButton(self.real)

        self.details = self._build_details()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sandbox)
        layout.addWidget(self.real)
        layout.addWidget(self.details)
        self.keyring_note = QLabel(keyring_note(keyring_in_use()), self)
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        layout.addWidget(self.keyring_note)
        layout.addWidget(buttons)

        if not offer_sandbox:
            self.real.setChecked(True)
            self.sandbox.hide()
            self.real.hide()
        self.real.toggled.connect(self._show_details)
        self.region.currentTextChanged.connect(self._show_details)
        self.test_button.clicked.connect(self.test_connection)
        self._show_details()

    def _build_details(self) -> QWidget:
        """The connection's fields: region or URL, tenant, key, profile name, and a test."""
        self.region = QComboBox(self)
        self.region.addItems([*REGIONS, CUSTOM])
        self.region.setAccessibleName("Region")
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://…")
        self.url.setAccessibleName("Custom API URL")
        self.tenant = QLineEdit(self)
        self.tenant.setAccessibleName("Tenant ID")
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("API key")
        # Made between the key and the name: the Tab order is the order of making.
        self.plan = QComboBox(self)
        self.plan.setAccessibleName("FlexPortal plan")
        self.plan.setToolTip("Starter allows 100 requests a minute; flexdesk keeps to it. Not "
                             "sure: flexdesk slows down when the server says it is too fast.")
        for plan in TenantPlan:
            self.plan.addItem(plan.label, plan.value)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Profile name")
        self.name.setPlaceholderText("defaults to the tenant ID")
        self.test_button = QPushButton("Test c&onnection", self)
        self.outcome = QLabel(self)
        self.outcome.setObjectName("testResult")
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome.setWordWrap(True)
        form = QFormLayout()
        for text, widget in (("&Region", self.region), ("&URL", self.url),
                             ("&Tenant ID", self.tenant), ("API &key", self.key),
                             ("&Plan", self.plan), ("Profile &name", self.name)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.test_button, self.outcome)
        details = QWidget(self)
        details.setLayout(form)
        return details

    def connection(self) -> Connection:
        """The connection as filled in; ValueError (with a reason to show) if it is not one."""
        region = self.region.currentText()
        url = self.url.text().strip() if region == CUSTOM else REGIONS[region]
        if not self.key.text().strip():
            raise ValueError("Enter the API key from the FlexPortal dashboard.")
        return Connection(url, self.tenant.text().strip(), self.key.text().strip(),
                          plan=self.chosen_plan())

    def chosen_plan(self) -> TenantPlan:
        return TenantPlan.of(self.plan.currentData())

    def choose_plan(self, plan: TenantPlan) -> None:
        self.plan.setCurrentIndex(max(0, self.plan.findData(plan.value)))

    def prefill(self, name: str, base_url: str, tenant_id: str, *, reason: str,
                plan: TenantPlan = TenantPlan.UNKNOWN) -> None:
        """Ask only for the key of a known profile, with the reason it is asked for."""
        self.real.setChecked(True)
        region = next((r for r, url in REGIONS.items() if url == base_url), CUSTOM)
        self.region.setCurrentText(region)
        self.url.setText(base_url if region == CUSTOM else "")
        self.tenant.setText(tenant_id)
        self.name.setText(name)
        self.choose_plan(plan)
        self.outcome.setText(f"⚠ {reason}")
        self.key.setFocus()

    def profile_name(self) -> str:
        return self.name.text().strip().replace("/", "-") or self.tenant.text().strip()

    def choice(self) -> Connection | None:
        return self.connection() if self.real.isChecked() else None

    def test_connection(self) -> None:
        try:
            connection = self.connection()
        except ValueError as problem:
            self.outcome.setText(f"⚠ {problem}")
            return
        self.outcome.setText("Testing…")
        self.test_button.setEnabled(False)

        def probe() -> int:
            with FlexPortalClient(connection.base_url, connection.tenant_id, connection.token,
                                  timeout=10, retry=RetryPolicy(attempts=1)) as client:
                return client.list_customers(limit=1).count

        self._jobs.submit("test connection", probe, self._tested, self._failed)

    def accept(self) -> None:
        if self.real.isChecked():
            try:
                self.connection()
            except ValueError as problem:
                self.outcome.setText(f"⚠ {problem}")
                return
        super().accept()

    def done(self, result: int) -> None:
        self._jobs.wait_for_done(15_000)  # no test may outlive the dialog
        super().done(result)

    def _tested(self, _count: int) -> None:
        self.test_button.setEnabled(True)
        self.outcome.setText("✓ Connected: the server accepted the key for this tenant.")

    def _failed(self, exc: Exception) -> None:
        self.test_button.setEnabled(True)
        reason = user_text(exc)
        if isinstance(exc, Unauthorized):
            reason = f"The server refused the API key: {reason}"
        elif isinstance(exc, Forbidden):
            reason = f"This key may not use tenant {self.tenant.text().strip()!r}: {reason}"
        self.outcome.setText(f"⚠ {reason}")

    def _show_details(self, *_: object) -> None:
        self.details.setEnabled(self.real.isChecked())
        self.url.setEnabled(self.real.isChecked() and self.region.currentText() == CUSTOM)


def keyring_note(keyring: str | None) -> str:
    """Where the key will be kept, said before it is typed: no keyring means every start."""
    if keyring is not None:
        return "The key is kept in your system keyring, never in a file."
    return ("⚠ No system keyring was found on this computer, and flexdesk never writes the key "
            "to a file: it is kept until flexdesk closes and asked for at the next start. "
            "Install or unlock a keyring (GNOME Keyring, KWallet) to have it remembered.")


def choose_connection(settings: QSettings) -> Connection | None:
    """The connection to start with when the command line names none.

    The sandbox if it was chosen before, or the profile used last (its key from the keyring)
    if it works; otherwise the first-run dialog, whose connection becomes a profile. None
    means the sandbox; cancel exits.
    """
    profiles = Profiles(settings)
    if profiles.sandbox_chosen():
        return None
    last = profiles.last()
    dialog = FirstRunDialog()
    if last is not None:
        try:
            return profiles.connection(last)
        except ProfileError as why:  # no key any more, or no keyring: ask, and say why
            dialog.prefill(last, *profiles.address(last), reason=str(why),
                           plan=profiles.plan(last))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        raise SystemExit(0)
    return adopt_choice(dialog, profiles)


def adopt_choice(dialog: FirstRunDialog, profiles: Profiles) -> Connection | None:
    """Keep what an accepted dialog chose: the sandbox (None), or a profile and its key."""
    connection = dialog.choice()
    if connection is None:
        profiles.remember_sandbox()
        return None
    try:
        store_key(connection.base_url, connection.tenant_id, connection.token)
    except KeyringUnavailable as why:
        # Kept in memory for this run only; the user is told why it will be asked again.
        inform(dialog.parentWidget(), "Key kept for this session only", str(why))
    name = dialog.profile_name()
    profiles.save(name, connection.base_url, connection.tenant_id, connection.plan)
    profiles.remember_last(name)
    return Connection(connection.base_url, connection.tenant_id, connection.token, label=name,
                      plan=connection.plan)
