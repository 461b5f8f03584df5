"""Guards against a broken Qt binding, which would otherwise crash the app after a while."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(sys.version_info >= (3, 12), reason=(
    "None is immortal from Python 3.12 (PEP 683): its count never falls, so the leak can "
    "neither crash the interpreter nor be seen here"))
def test_void_calls_keep_none_alive(qtbot: QtBot) -> None:
    # PySide6 6.12.0 releases a reference to None on every call that returns nothing; on
    # Python 3.11 the interpreter aborts once None's count reaches zero, mid-session.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    assert sys.getrefcount(None) >= before - 10
