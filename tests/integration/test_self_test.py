"""`flexdesk --self-test`: the whole app on a sandbox of its own, step by step, in a fresh
process without a display, leaving no file behind in the user's home or the temporary folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Where the user's own display, platform or data folders would come from.
UNSET = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "APPDATA", "LOCALAPPDATA"}
STEP = re.compile(r"^self-test: (\d+)/(\d+) (.+?) … (ok|failed)(.*)$")


def _self_test(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run it with an empty home and a temporary folder of the test's; no display, and no
    QT_QPA_PLATFORM either: the self-test picks offscreen itself."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {name: value for name, value in os.environ.items()
           if name not in UNSET and not name.startswith("XDG_")}
    env.update(HOME=str(home), USERPROFILE=str(home), TMPDIR=str(temp), TMP=str(temp),
               TEMP=str(temp), **extra)
    result = subprocess.run([sys.executable, "-m", "flexdesk", "--self-test"],
                            capture_output=True, text=True, env=env, check=False, timeout=120)
    assert not list(home.iterdir()), "the user's folders stay untouched"
    assert not list(temp.iterdir()), "the temporary data folder is removed"
    return result


def _steps(stdout: str) -> list[tuple[str, str, str]]:
    """(title, ok/failed, detail) for each step line, checking the numbering on the way."""
    found = [STEP.match(line) for line in stdout.splitlines()]
    steps = [match for match in found if match is not None]
    for number, match in enumerate(steps, 1):
        assert int(match[1]) == number and int(match[2]) >= len(steps)
    return [(match[3], match[4], match[5]) for match in steps]


def test_every_step_passes_on_a_working_install(tmp_path: Path) -> None:
    result = _self_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = _steps(result.stdout)
    assert [title for title, _, _ in steps] == [
        "start the sandbox", "open the main window", "load the first page", "open a customer",
        "change a field", "save through the outbox", "check the sandbox holds the new value",
        "find the system keyring"]
    assert all(outcome == "ok" for _, outcome, _ in steps)
    assert "offscreen" in steps[1][2]
    assert "phone is +31 20 555 014" in steps[6][2]
    assert result.stdout.rstrip().endswith("self-test: passed")


def test_a_failing_step_is_named_and_the_rest_not_run(tmp_path: Path) -> None:
    # The sandbox really answers every request with 500: the list cannot load.
    result = _self_test(tmp_path, FLEXDESK_SELF_TEST_FAILURE_RATE="1")
    assert result.returncode == 1
    steps = _steps(result.stdout)
    assert [(title, outcome) for title, outcome, _ in steps] == [
        ("start the sandbox", "ok"), ("open the main window", "ok"),
        ("load the first page", "failed")]
    assert "Internal Server Error" in steps[-1][2]
    assert "passed" not in result.stdout


def test_a_misspelt_failure_rate_is_said_not_ignored(tmp_path: Path) -> None:
    result = _self_test(tmp_path, FLEXDESK_SELF_TEST_FAILURE_RATE="all")
    assert result.returncode == 1
    [(title, outcome, detail)] = _steps(result.stdout)
    assert (title, outcome) == ("start the sandbox", "failed")
    assert "must be a number from 0 to 1" in detail
