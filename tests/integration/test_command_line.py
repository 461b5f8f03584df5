"""The installed commands answer without a display and refuse bad combinations clearly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flexdesk import __version__

ROOT = Path(__file__).resolve().parents[2]


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


def test_store_key_without_a_server_says_what_is_missing() -> None:
    result = _flexdesk("--store-key")
    assert result.returncode == 2
    assert "--api-url URL --tenant ID" in result.stderr


def test_plain_http_to_a_remote_host_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flexdesk", "--api-url", "http://api-eu.flexportal.io",
         "--tenant", "acme"],
        capture_output=True, text=True, check=False, timeout=60,
        env={"PATH": "/usr/bin:/bin", "FLEXDESK_TOKEN": "k"},
    )
    assert result.returncode == 2
    assert "plain HTTP" in result.stderr


def _with_keyring(backend: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHON_KEYRING_BACKEND": backend,
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "flexdesk", *args], input=stdin,
                          capture_output=True, text=True, env=env, check=False, timeout=60)


REMOTE = ["--api-url", "https://api-eu.flexportal.io", "--tenant", "acme"]


def test_store_key_puts_the_key_in_the_keyring_and_says_so() -> None:
    result = _with_keyring("tests.unit.test_credentials.MemoryKeyring", *REMOTE, "--store-key",
                           stdin="sk_live_from_stdin\n")
    assert result.returncode == 0, result.stderr
    assert "Stored in the system keyring" in result.stdout
    assert "sk_live_from_stdin" not in result.stdout + result.stderr


def test_no_key_anywhere_says_how_to_give_one() -> None:
    result = _with_keyring("tests.unit.test_credentials.MemoryKeyring", *REMOTE)
    assert result.returncode == 2
    assert "FLEXDESK_TOKEN" in result.stderr and "--store-key" in result.stderr


def test_without_a_keyring_storing_is_refused_not_written_to_a_file() -> None:
    result = _with_keyring("keyring.backends.fail.Keyring", *REMOTE, "--store-key",
                           stdin="sk_live_x\n")
    assert result.returncode == 2
    assert "No system keyring is available" in result.stderr


def test_an_unknown_profile_is_refused_with_the_reason(tmp_path: Path) -> None:
    result = _flexdesk("--profile", "nowhere", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "No profile named 'nowhere'" in result.stderr


def _start(data_dir: Path) -> subprocess.Popen[str]:
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "HOME": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "flexdesk", "--sandbox", "--sandbox-customers", "20",
         "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def _wait_for(process: subprocess.Popen[str], text: str) -> None:
    """Read the process's log (it logs to stderr too) until a line says `text`."""
    assert process.stderr is not None
    for line in process.stderr:
        if text in line:
            return
    raise AssertionError(f"the process ended before saying {text!r}")


@pytest.mark.slow
def test_one_instance_per_data_folder_and_a_second_start_brings_it_forward(
    tmp_path: Path,
) -> None:
    first = _start(tmp_path)
    try:
        _wait_for(first, "sandbox listening")
        second = _flexdesk("--sandbox", "--data-dir", str(tmp_path))
        assert second.returncode == 0
        assert "already running" in second.stderr and "brought forward" in second.stderr
        assert "sandbox listening" not in second.stderr, "the second start started nothing"
        _wait_for(first, "another start asked for this window")
    finally:
        first.kill()
        first.communicate()
    # Killed, its lock is stale: the next start takes the folder over.
    third = _start(tmp_path)
    try:
        _wait_for(third, "sandbox listening")
    finally:
        third.kill()
        third.communicate()


@pytest.mark.slow
def test_a_damaged_drafts_file_is_moved_aside_and_the_app_opens_anyway(tmp_path: Path) -> None:
    (tmp_path / "flexdesk.sqlite3").write_bytes(b"not a database, but the user's drafts" * 100)
    app = _start(tmp_path)
    try:
        _wait_for(app, "is damaged; moving it aside")
        _wait_for(app, "window open on sandbox")
    finally:
        app.kill()
        _out, err = app.communicate()
    assert "Traceback" not in err
    kept = list(tmp_path.glob("flexdesk.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")
    assert (tmp_path / "flexdesk.sqlite3").exists()  # a fresh one took its place


@pytest.mark.slow
def test_every_file_the_app_writes_is_the_users_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = _start(data)
    try:
        _wait_for(app, "window open on sandbox")
        _wait_for(app, "sandbox listening")  # it starts after the window's first paint
    finally:
        app.kill()
        app.communicate()
    written = [data, *data.rglob("*")]
    # (settings.ini is written at the first close; killed, the app made none: the mask that
    # covers the others covers it too.)
    assert {p.name for p in written} >= {"flexdesk.sqlite3", "sandbox.sqlite3", "flexdesk.log",
                                          "logs", "flexdesk.lock"}
    for path in written:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"
