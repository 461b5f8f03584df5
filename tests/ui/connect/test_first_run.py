"""First start: the sandbox, or a real connection whose key is tested before it is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from flexdesk.credentials import store_key
from flexdesk.sandbox import SandboxServer
from flexdesk.ui.connect.first_run import CUSTOM, FirstRunDialog, choose_connection
from flexdesk.ui.connect.profiles import ProfileError, Profiles
from flexdesk.ui.window.application import open_settings
from tests.conftest import TENANT, TOKEN
from tests.unit.test_credentials import MemoryKeyring


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[FirstRunDialog]:
    made = FirstRunDialog()
    qtbot.addWidget(made)
    made.show()
    yield made


def fill(dialog: FirstRunDialog, url: str, tenant: str, key: str) -> None:
    dialog.real.setChecked(True)
    dialog.region.setCurrentText(CUSTOM)
    dialog.url.setText(url)
    dialog.tenant.setText(tenant)
    dialog.key.setText(key)


def test_the_sandbox_is_the_default(dialog: FirstRunDialog) -> None:
    assert dialog.sandbox.isChecked() and not dialog.details.isEnabled()
    assert dialog.choice() is None


def test_test_connection_reports_success_or_the_exact_reason(
    qtbot: QtBot, dialog: FirstRunDialog, sandbox: SandboxServer
) -> None:
    fill(dialog, sandbox.base_url, TENANT, TOKEN)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("✓"), timeout=5000)

    dialog.key.setText("not-the-key")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("⚠"), timeout=5000)
    assert "refused the API key" in dialog.outcome.text()

    fill(dialog, sandbox.base_url, "another-tenant", TOKEN)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "may not use tenant" in dialog.outcome.text(), timeout=5000)

    fill(dialog, "http://flexportal.example.com", TENANT, TOKEN)
    dialog.test_button.click()
    assert "plain HTTP" in dialog.outcome.text()
    assert dialog.test_button.isEnabled()


def test_the_last_profile_is_used_again_without_asking(qtbot: QtBot, tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        settings = open_settings(tmp_path)
        profiles = Profiles(settings)
        profiles.save("acme-eu", "https://api-eu.flexportal.io", "acme")
        profiles.remember_last("acme-eu")
        store_key("https://api-eu.flexportal.io", "acme", "sk_live_remembered")
        chosen = choose_connection(settings)
    finally:
        keyring.set_keyring(previous)
    assert chosen is not None
    assert (chosen.base_url, chosen.tenant_id, chosen.token, chosen.title) == (
        "https://api-eu.flexportal.io", "acme", "sk_live_remembered", "acme-eu")
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, FirstRunDialog)
                and w.isVisible()]


def test_an_unknown_profile_names_the_known_ones(tmp_path: Path) -> None:
    profiles = Profiles(open_settings(tmp_path))
    profiles.save("acme-eu", "https://api-eu.flexportal.io", "acme")
    with pytest.raises(ProfileError, match="acme-eu"):
        profiles.connection("globex")


def test_without_a_keyring_the_key_is_asked_for_this_run_and_why_is_said(
    qtbot: QtBot, tmp_path: Path, sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from keyring.backends import fail

    settings = open_settings(tmp_path)
    profiles = Profiles(settings)
    profiles.save("work", sandbox.base_url, TENANT)
    profiles.remember_last("work")
    told: list[str] = []
    monkeypatch.setattr("flexdesk.ui.connect.first_run.inform",
                        lambda _p, _t, text: told.append(text))
    seen: list[str] = []

    def type_the_key() -> None:
        shown = QApplication.activeModalWidget()
        assert isinstance(shown, FirstRunDialog)
        seen.extend([shown.outcome.text(), shown.tenant.text(), shown.name.text()])
        shown.key.setText(TOKEN)
        shown.accept()

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        QTimer.singleShot(0, type_the_key)
        chosen = choose_connection(settings)
    finally:
        keyring.set_keyring(previous)
    assert "No system keyring" in seen[0] and seen[1:] == [TENANT, "work"]
    assert chosen is not None and chosen.token == TOKEN and chosen.title == "work"
    assert told and "FLEXDESK_TOKEN" in told[0]
    assert not any("backend" in text for text in (seen[0], told[0])), "the library's words"
    assert TOKEN.encode() not in (tmp_path / "settings.ini").read_bytes()


def test_choosing_the_sandbox_is_remembered_until_a_profile_is_made(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = open_settings(tmp_path)
    shown: list[FirstRunDialog] = []

    def take_the_sandbox() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FirstRunDialog)
        shown.append(dialog)
        dialog.accept()  # the sandbox is the default

    QTimer.singleShot(0, take_the_sandbox)
    assert choose_connection(settings) is None
    assert len(shown) == 1
    assert choose_connection(open_settings(tmp_path)) is None  # the next start: no dialog
    assert len(shown) == 1

    Profiles(settings).save("acme-eu", "https://api-eu.flexportal.io", "acme")
    Profiles(settings).remember_last("acme-eu")
    assert not Profiles(open_settings(tmp_path)).sandbox_chosen()


def test_every_control_of_the_first_run_dialog_has_its_own_alt_key(qtbot: QtBot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(QAbstractButton)]
    texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    letters = [re.search(r"&(\w)", text) for text in texts]
    keys = [found.group(1).lower() for found in letters if found]
    assert len(keys) == len(set(keys)), sorted(keys)


@pytest.mark.parametrize(("remembered", "said"), [
    (True, "kept in your system keyring, never in a file"),
    (False, "No system keyring was found on this computer"),
])
def test_the_dialog_says_before_the_key_is_typed_whether_it_will_be_remembered(
    qtbot: QtBot, remembered: bool, said: str
) -> None:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring() if remembered else fail.Keyring())
    try:
        shown = FirstRunDialog()
    finally:
        keyring.set_keyring(previous)
    qtbot.addWidget(shown)
    assert said in shown.keyring_note.text()
