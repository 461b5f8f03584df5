"""The arrows of ARCHITECTURE.md: nothing below `ui` imports Qt, and packages only import
what sits below them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "flexdesk"

QT_FREE = ["flexdesk.api.client", "flexdesk.editing", "flexdesk.sandbox", "flexdesk.sandbox.cli",
           "flexdesk.app", "flexdesk.connection", "flexdesk.credentials", "flexdesk.store",
           "flexdesk.sync"]

# What each Qt-free package may import of flexdesk (besides itself and the version).
ALLOWED: dict[str, set[str]] = {
    "api": set(),
    "editing": {"flexdesk.api.models", "flexdesk.api.errors"},
    "sandbox": {"flexdesk.api.models"},
    "store": {"flexdesk.api.models"},
    "sync": {"flexdesk.api.client", "flexdesk.api.errors", "flexdesk.api.models",
             "flexdesk.editing", "flexdesk.store"},
}
# Leaf modules that import nothing of flexdesk, usable by every package.
ANYWHERE = {"flexdesk.files"}


@pytest.mark.parametrize("module", QT_FREE)
def test_module_imports_with_qt_blocked(module: str) -> None:
    # A fresh interpreter in which any PySide6 import fails, so a stray import cannot hide
    # behind one that an earlier test already made.
    probe = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is not allowed in ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"import {module}\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


def _flexdesk_imports(source: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("flexdesk")}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_what_lies_below_them(package: str) -> None:
    own = f"flexdesk.{package}"
    for source in (PACKAGE / package).glob("*.py"):
        for name in _flexdesk_imports(source):
            inside = name == own or name.startswith(own + ".") or name == "flexdesk"
            allowed = name in ALLOWED[package] or name in ANYWHERE
            assert inside or allowed, f"{source.name} imports {name}"


@pytest.mark.parametrize("module", sorted(ANYWHERE))
def test_modules_usable_anywhere_import_nothing_of_flexdesk(module: str) -> None:
    source = PACKAGE / f"{module.removeprefix('flexdesk.')}.py"
    assert _flexdesk_imports(source) == set()
