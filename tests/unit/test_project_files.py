"""The repository's promises about itself: the README's commands, the packaging list."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
)


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    assert TEST_COMMAND in (ROOT / "README.md").read_text()
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text()


def test_every_package_directory_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "flexdesk").rglob("__init__.py")
    }
    assert on_disk | {"flexdesk.resources"} == set(config["packages"])


def test_resources_load_through_the_package() -> None:
    icon = files("flexdesk.resources").joinpath("flexdesk.svg").read_text()
    assert icon.lstrip().startswith("<svg")


def test_the_contract_copy_is_kept_in_the_repository() -> None:
    contract = ROOT / "tests" / "contract" / "flexportal-customers.openapi.yaml"
    assert "operationId: updateCustomer" in contract.read_text()


def test_the_readmes_pictures_exist_and_stay_small() -> None:
    import re

    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (ROOT / "README.md").read_text())
    assert pictures, "the README shows the real window"
    for picture in pictures:
        path = ROOT / picture
        assert path.is_file(), picture
        assert path.stat().st_size < 300 * 1024, f"{picture} is over 300 KB"
