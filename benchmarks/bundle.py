"""The desktop bundle (installer/build-linux) beside the development install: cold start, size.

Both sides run the same command, `flexdesk --self-test`, in a fresh process: the bundle's
`dist/flexdesk/flexdesk` and this interpreter's `python -m flexdesk`. Each is timed from the
moment it is spawned until it prints that its first page is in the main window (its third
step, after a sandbox of 150 customers started, ~15 ms, and the window opened), so
interpreter start-up, unpacking nothing, every import and Qt's start all count. Runs
alternate, after one unmeasured start of each (a cold disk cache is not the packaging's
fault). The sizes are of the folder as installed and of the tar.gz users download.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.config import Config
from benchmarks.probes import REPO
from benchmarks.qt import OFFSCREEN_ONLY, qt_warnings
from benchmarks.report import NOT_MEASURED, Row, median, ms
from flexdesk import __version__

TARGET_RATIO = 1.05
TARGET_PACKED_MIB = 80
DIST = REPO / "dist"
BUNDLE = DIST / "flexdesk" / "flexdesk"
FIRST_PAGE = re.compile(r"^self-test: \d+/\d+ load the first page … ok")
MIB = 1024 * 1024


def _time_to_first_page(command: list[str]) -> float:
    """Seconds from spawning `command --self-test` to its line saying the page is listed."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    ready: float | None = None
    with tempfile.TemporaryFile("w+") as errors:
        spawned = time.monotonic()
        with subprocess.Popen(  # noqa: S603 - our own program, no shell
            [*command, "--self-test"], stdout=subprocess.PIPE, stderr=errors, text=True,
            env=env, cwd=REPO,
        ) as process:
            assert process.stdout is not None
            said = []
            for line in process.stdout:
                if ready is None and FIRST_PAGE.match(line):
                    ready = time.monotonic()
                said.append(line)
        errors.seek(0)
        _keep_complaints(command, errors.read())
    if process.returncode != 0 or ready is None:
        raise RuntimeError(f"{command[0]} --self-test failed: {''.join(said[-2:]).strip()}")
    return ready - spawned


def _keep_complaints(command: list[str], stderr: str) -> None:
    """Anything on stderr but the offscreen plugin's one remark makes the figures suspect."""
    for line in stderr.splitlines():
        if line.strip() and line.strip() not in OFFSCREEN_ONLY:
            qt_warnings.append(f"{command[0]}: {line}")
            print(f"{command[0]}: {line}", file=sys.stderr)


def _folder_size(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*")
               if path.is_file() and not path.is_symlink())


def run(config: Config) -> list[Row]:
    start = "cold start of the desktop bundle to a populated window (`flexdesk --self-test` " \
        f"until its first page is listed; median of {config.startup_runs} fresh processes)[^3]"
    size = "the desktop bundle's size: the installed folder, and the tar.gz users download"
    tarball = DIST / f"flexdesk-{__version__}-linux-{os.uname().machine}.tar.gz"
    if not BUNDLE.is_file() or not tarball.is_file():
        missing = "not built: run `bash installer/build-linux` first"
        return [Row(start, NOT_MEASURED, missing, NOT_MEASURED, f"<= {TARGET_RATIO:g}x", None),
                Row(size, NOT_MEASURED, missing, NOT_MEASURED,
                    f"tar.gz <= {TARGET_PACKED_MIB} MiB", None)]
    venv_command, bundle_command = [sys.executable, "-m", "flexdesk"], [str(BUNDLE)]
    _time_to_first_page(venv_command)
    _time_to_first_page(bundle_command)
    venv: list[float] = []
    bundle: list[float] = []
    for _ in range(config.startup_runs):  # interleaved, so drift hits both alike
        venv.append(_time_to_first_page(venv_command))
        bundle.append(_time_to_first_page(bundle_command))
    from_venv, from_bundle = median(venv), median(bundle)
    folder, packed = _folder_size(BUNDLE.parent) / MIB, tarball.stat().st_size / MIB
    return [
        Row(start, f"venv (`python -m flexdesk`): {ms(from_venv)}",
            f"bundle: {ms(from_bundle)}", f"{from_bundle / from_venv:.2f}x",
            f"<= {TARGET_RATIO:g}x", from_bundle / from_venv <= TARGET_RATIO),
        Row(size, NOT_MEASURED, f"folder {folder:.0f} MiB", f"tar.gz {packed:.1f} MiB",
            f"tar.gz <= {TARGET_PACKED_MIB} MiB", packed <= TARGET_PACKED_MIB),
    ]
