"""The tenant's plan, chosen with the keyboard where the connection is set up, kept per
profile in the settings (never the key), and what sets the client's rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flexdesk.api.pacing import AdaptiveLimiter
from flexdesk.api.plans import TenantPlan
from flexdesk.api.retry import RateLimiter
from flexdesk.ui.connect.first_run import CUSTOM, FirstRunDialog, adopt_choice
from flexdesk.ui.connect.profiles import Profiles
from flexdesk.ui.window.application import open_settings
from tests.unit.test_credentials import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def shown(qtbot: QtBot) -> FirstRunDialog:
    dialog = FirstRunDialog(offer_sandbox=False)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def make_profile_by_keyboard(qtbot: QtBot, settings_dir: Path, name: str, tenant: str,
                             downs: int) -> TenantPlan:
    """Region, tenant and key typed, then Tab to the plan and Down `downs` times."""
    dialog = shown(qtbot)
    dialog.region.setCurrentText(CUSTOM)
    dialog.url.setText("https://flexportal.example.com")
    qtbot.keyClicks(dialog.tenant, tenant)
    dialog.key.setFocus()
    qtbot.keyClicks(dialog.key, f"sk_{tenant}")
    qtbot.keyClick(dialog.key, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.plan
    for _ in range(downs):
        qtbot.keyClick(dialog.plan, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.plan, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, name)
    chosen = dialog.chosen_plan()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # OK is the default button
    connection = adopt_choice(dialog, Profiles(open_settings(settings_dir)))
    assert connection is not None and connection.plan is chosen
    return chosen


def test_the_plan_is_chosen_by_keyboard_and_kept_per_profile(qtbot: QtBot,
                                                              tmp_path: Path) -> None:
    assert make_profile_by_keyboard(qtbot, tmp_path, "acme", "acme", 1) is TenantPlan.STARTER
    assert make_profile_by_keyboard(qtbot, tmp_path, "globex", "globex", 3) is \
        TenantPlan.ENTERPRISE
    profiles = Profiles(open_settings(tmp_path))  # as the next start reads them
    assert (profiles.plan("acme"), profiles.plan("globex")) == (TenantPlan.STARTER,
                                                                 TenantPlan.ENTERPRISE)
    acme = profiles.connection("acme")
    assert acme.plan is TenantPlan.STARTER
    with acme.open_client() as client:
        limiter = client.limiter
        assert isinstance(limiter, RateLimiter) and limiter.per_minute == 100
    with profiles.connection("globex").open_client() as client:
        assert client.limiter is None
    settings = (tmp_path / "settings.ini").read_text()
    assert "sk_acme" not in settings and "sk_globex" not in settings  # keys stay in the keyring


def test_a_profile_without_a_plan_is_unknown_and_adapts(tmp_path: Path) -> None:
    settings = open_settings(tmp_path)
    settings.setValue("profiles/old/url", "https://api-eu.flexportal.io")  # made before plans
    settings.setValue("profiles/old/tenant", "old")
    profiles = Profiles(settings)
    assert profiles.plan("old") is TenantPlan.UNKNOWN
    with profiles.connection("old", token="sk_old").open_client() as client:
        assert isinstance(client.limiter, AdaptiveLimiter)


def test_asking_again_for_a_profiles_key_shows_its_plan(qtbot: QtBot) -> None:
    dialog = shown(qtbot)
    dialog.prefill("acme", "https://api-eu.flexportal.io", "acme", reason="No key stored",
                   plan=TenantPlan.GROWTH)
    assert dialog.chosen_plan() is TenantPlan.GROWTH
    assert dialog.plan.currentText().startswith("Growth")
