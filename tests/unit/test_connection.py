"""A connection: what its drafts are kept under, and how it is described to people."""

from __future__ import annotations

from pathlib import Path

from flexdesk.connection import Connection, sandbox_identity
from flexdesk.store import ConnectionKey


def test_the_built_in_sandbox_is_known_by_its_data_file_not_its_port(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.sqlite3"
    monday = Connection("http://127.0.0.1:40001", "sandbox", "sandbox",
                        identity=sandbox_identity(data))
    tuesday = Connection("http://127.0.0.1:51234", "sandbox", "sandbox",
                         identity=sandbox_identity(data))
    assert monday.store_key == tuesday.store_key
    assert monday.is_builtin_sandbox
    assert "any HTTP client can use it" in monday.whereabouts()
    assert "Authorization: Bearer sandbox" in monday.whereabouts()
    assert monday.open_client().identity == monday.store_key.base_url


def test_a_server_is_known_by_its_url_and_its_key_is_never_described() -> None:
    real = Connection("https://api-eu.flexportal.io/", "acme", "sk_live_secret")
    assert real.store_key == ConnectionKey("https://api-eu.flexportal.io", "acme")
    assert not real.is_builtin_sandbox
    assert real.whereabouts() == "Connected to https://api-eu.flexportal.io, tenant acme."
    assert "sk_live_secret" not in real.whereabouts() + repr(real)
