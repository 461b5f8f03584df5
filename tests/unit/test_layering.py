"""The arrows of the architecture (README "Developing"): nothing below `ui` imports Qt, each
package imports only what sits below it, and inside `ui` the areas depend one way, with only
`window` bringing them together. Relative imports count as much as absolute ones."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "flexdesk"

QT_FREE = ["flexdesk.files", "flexdesk.api.client", "flexdesk.editing", "flexdesk.sandbox",
           "flexdesk.sandbox.cli", "flexdesk.app", "flexdesk.connection", "flexdesk.credentials",
           "flexdesk.store", "flexdesk.sync", "flexdesk.listing.columns",
           "flexdesk.listing.paging", "flexdesk.listing.export",
           "flexdesk.listing.import_review", "flexdesk.api.rows"]

# What each Qt-free package may import of flexdesk (besides itself and the version).
ALLOWED: dict[str, set[str]] = {
    "api": set(),
    "editing": {"flexdesk.api.models", "flexdesk.api.errors"},
    # One set of address rules: the sandbox refuses what the form refuses.
    "sandbox": {"flexdesk.api.models", "flexdesk.editing.addresses"},
    # kinds and rows: the API's enums and the list's plain rows, without pydantic (#21).
    "store": {"flexdesk.api.models", "flexdesk.api.kinds", "flexdesk.api.rows"},
    "sync": {"flexdesk.api.client", "flexdesk.api.errors", "flexdesk.api.models",
             "flexdesk.editing", "flexdesk.store"},
    # The export names the editable fields as the form does; an import checks them so.
    "listing": {"flexdesk.api.client", "flexdesk.api.errors", "flexdesk.api.models",
                "flexdesk.api.kinds", "flexdesk.api.rows", "flexdesk.store",
                "flexdesk.editing.fields", "flexdesk.editing.countries",
                "flexdesk.editing.validation"},
}
# The areas of the window, and the other areas each may use. `common` uses none of them;
# `window` assembles them all.
AREAS: dict[str, set[str]] = {
    "common": set(),
    "shortcuts": {"common"},
    "connect": {"common"},
    "customers": {"common"},
    "drafts": {"common"},
    "editor": {"common", "drafts", "shortcuts"},
    "window": {"common", "connect", "customers", "drafts", "editor", "shortcuts"},
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


def _module_of(source: Path) -> str:
    parts = source.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _flexdesk_imports(source: Path) -> set[str]:
    """Every flexdesk module `source` imports, relative imports resolved."""
    module = _module_of(source)
    package = module if source.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                found.add(target)
            elif node.module:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("flexdesk")}


def test_relative_imports_are_resolved() -> None:
    imports = _flexdesk_imports(PACKAGE / "sync" / "outbox.py")
    assert "flexdesk.sync.sender" in imports  # written `from .sender import ...`


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_what_lies_below_them(package: str) -> None:
    own = f"flexdesk.{package}"
    for source in (PACKAGE / package).rglob("*.py"):
        for name in _flexdesk_imports(source):
            inside = name == own or name.startswith(own + ".") or name == "flexdesk"
            allowed = ALLOWED[package] | ANYWHERE
            assert inside or name in allowed, f"{source.name} imports {name}"


@pytest.mark.parametrize("module", sorted(ANYWHERE))
def test_modules_usable_anywhere_import_nothing_of_flexdesk(module: str) -> None:
    source = PACKAGE / f"{module.removeprefix('flexdesk.')}.py"
    assert _flexdesk_imports(source) == set()


@pytest.mark.parametrize("area", sorted(AREAS))
def test_ui_areas_depend_one_way(area: str) -> None:
    assert {p.name for p in (PACKAGE / "ui").iterdir() if (p / "__init__.py").exists()} \
        == set(AREAS)
    for source in (PACKAGE / "ui" / area).rglob("*.py"):
        for name in _flexdesk_imports(source):
            if not name.startswith("flexdesk.ui."):
                continue
            used = name.split(".")[2]
            assert used == area or used in AREAS[area], f"ui/{area}/{source.name} uses {name}"


def test_nothing_below_ui_imports_ui() -> None:
    for source in PACKAGE.rglob("*.py"):
        if "ui" in source.relative_to(PACKAGE).parts[:1] or source.name == "app.py":
            continue
        assert not any(n.startswith("flexdesk.ui") for n in _flexdesk_imports(source)), source
