"""The installed commands answer without a display and refuse bad combinations clearly."""

from __future__ import annotations

import subprocess
import sys

from flexdesk import __version__


def _flexdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}  # and no DISPLAY
    return subprocess.run([sys.executable, "-m", "flexdesk", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=60)


def test_version_and_help_need_no_display() -> None:
    version = _flexdesk("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"flexdesk {__version__}"
    usage = _flexdesk("--help")
    assert usage.returncode == 0
    assert "--sandbox" in usage.stdout and "FLEXDESK_TOKEN" in usage.stdout


def test_no_connection_chosen_says_what_to_do() -> None:
    result = _flexdesk()
    assert result.returncode == 2
    assert "--sandbox" in result.stderr


def test_plain_http_to_a_remote_host_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flexdesk", "--api-url", "http://api-eu.flexportal.io",
         "--tenant", "acme"],
        capture_output=True, text=True, check=False, timeout=60,
        env={"PATH": "/usr/bin:/bin", "FLEXDESK_TOKEN": "k"},
    )
    assert result.returncode == 2
    assert "plain HTTP" in result.stderr
