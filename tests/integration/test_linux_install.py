"""install.sh and uninstall.sh of the Linux tarball, for the current user only: in a
temporary HOME, against a stand-in of the unpacked folder, and against the real tarball when
one is named in FLEXDESK_BUNDLE (.ci/run does, after building it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from flexdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "installer" / "linux"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux scripts")


def _unpacked(folder: Path, version: str = "9.9.9") -> Path:
    """What the tarball unpacks to, with a shell script standing in for the app."""
    app = folder / "flexdesk"
    resources = app / "_internal" / "flexdesk" / "resources"
    resources.mkdir(parents=True)
    for name in ("flexdesk.svg", "flexdesk.desktop"):
        shutil.copy(ROOT / "resources" / name, resources / name)
    (app / "flexdesk").write_text(f"#!/bin/sh\necho 'flexdesk {version}'\n")
    shutil.copy(SCRIPTS / "install.sh", app)
    shutil.copy(SCRIPTS / "uninstall.sh", app)
    for name in ("flexdesk", "install.sh", "uninstall.sh"):
        (app / name).chmod(0o755)
    return app


def _run(script: Path, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", **extra}
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def _files(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*") if not p.is_dir()}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    made = tmp_path / "home"
    (made / ".config").mkdir(parents=True)
    (made / ".config" / "user-dirs.dirs").write_text("# the user's own, untouched\n")
    return made


@pytest.mark.parametrize("xdg_data_home", [None, "xdg-data"])
def test_install_puts_app_entry_and_icon_in_place_and_uninstall_takes_exactly_them(
    tmp_path: Path, home: Path, xdg_data_home: str | None
) -> None:
    extra = {} if xdg_data_home is None else {"XDG_DATA_HOME": str(home / xdg_data_home)}
    share = home / (xdg_data_home or ".local/share")
    before = _files(home)
    unpacked = _unpacked(tmp_path / "download")

    said = _run(unpacked / "install.sh", home, **extra).stdout
    installed = home / ".local" / "opt" / "flexdesk"
    entry = share / "applications" / "flexdesk.desktop"
    assert "flexdesk 9.9.9 is installed" in said and f"{installed}/uninstall.sh" in said
    assert f'Exec="{installed}/flexdesk"' in entry.read_text().splitlines()
    assert "Icon=flexdesk" in entry.read_text().splitlines()
    icon = share / "icons" / "hicolor" / "scalable" / "apps" / "flexdesk.svg"
    assert icon.read_bytes() == (ROOT / "resources" / "flexdesk.svg").read_bytes()
    shutil.rmtree(unpacked)  # the download can go: the installed copy stands on its own
    assert subprocess.run([installed / "flexdesk"], capture_output=True, text=True,
                          check=True).stdout == "flexdesk 9.9.9\n"

    drafts = share / "flexdesk" / "flexdesk.sqlite3"  # what the app wrote meanwhile
    drafts.parent.mkdir(parents=True)
    drafts.write_bytes(b"unsaved work")
    said = _run(installed / "uninstall.sh", home, **extra).stdout
    assert _files(home) == before | {str(drafts.relative_to(home))}
    assert str(drafts.parent) in said, "the user is told where their drafts still are"


def test_installing_again_replaces_the_app_and_leaves_nothing_beside_it(
    tmp_path: Path, home: Path
) -> None:
    _run(_unpacked(tmp_path / "old", version="1.0.0") / "install.sh", home)
    said = _run(_unpacked(tmp_path / "new", version="1.1.0") / "install.sh", home).stdout
    assert "flexdesk 1.1.0 is installed" in said
    assert sorted(p.name for p in (home / ".local" / "opt").iterdir()) == ["flexdesk"]
    entries = list((home / ".local" / "share" / "applications").iterdir())
    assert [p.name for p in entries] == ["flexdesk.desktop"]


def test_uninstall_without_an_install_removes_nothing(tmp_path: Path, home: Path) -> None:
    before = _files(home)
    said = _run(SCRIPTS / "uninstall.sh", home).stdout
    assert "nothing to remove" in said and _files(home) == before


def test_install_from_elsewhere_than_the_unpacked_folder_is_refused(home: Path) -> None:
    result = subprocess.run(["bash", str(SCRIPTS / "install.sh")], capture_output=True,
                            text=True, env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
                            check=False, timeout=60)
    assert result.returncode == 1 and "unpacked flexdesk folder" in result.stderr
    assert not (home / ".local").exists()


@pytest.mark.slow
def test_the_real_tarball_installs_runs_its_self_test_and_uninstalls(
    tmp_path: Path, home: Path
) -> None:
    tarball = os.environ.get("FLEXDESK_BUNDLE")
    if not tarball:
        pytest.skip("no bundle named: `bash installer/build-linux`, then "
                    "FLEXDESK_BUNDLE=dist/flexdesk-<version>-linux-<arch>.tar.gz")
    before = _files(home)
    with tarfile.open(tarball) as packed:
        packed.extractall(tmp_path / "download", filter="tar")
    _run(tmp_path / "download" / "flexdesk" / "install.sh", home)
    shutil.rmtree(tmp_path / "download")
    app = home / ".local" / "opt" / "flexdesk" / "flexdesk"
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path)}
    version = subprocess.run([app, "--version"], capture_output=True, text=True, env=env,
                             check=True, timeout=60)
    assert version.stdout.strip() == f"flexdesk {__version__}"
    checked = subprocess.run([app, "--self-test"], capture_output=True, text=True, env=env,
                             check=False, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    _run(app.parent / "uninstall.sh", home)
    assert _files(home) == before
