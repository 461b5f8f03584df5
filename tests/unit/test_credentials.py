"""Keys live in the keyring, per server and tenant, and never fall back to a file."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from flexdesk.credentials import (
    SYSTEM_BACKENDS,
    KeyringUnavailable,
    forget_key,
    keyring_in_use,
    store_key,
    stored_key,
    system_backend_found,
)

EU = "https://api-eu.flexportal.io"
US = "https://api-us.flexportal.io"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_keys_are_kept_per_server_and_tenant(memory: MemoryKeyring) -> None:
    store_key(EU + "/", "acme", " sk_live_eu ")
    store_key(US, "acme", "sk_live_us")
    assert stored_key(EU, "acme") == "sk_live_eu"
    assert stored_key(US, "acme") == "sk_live_us"
    assert stored_key(EU, "globex") is None
    assert memory.entries[("flexdesk", f"acme@{EU}")] == "sk_live_eu"
    assert forget_key(EU, "acme") and stored_key(EU, "acme") is None
    assert not forget_key(EU, "acme")


def test_without_a_keyring_the_error_says_what_to_do() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable, match="FLEXDESK_TOKEN"):
            store_key(EU, "acme", "sk_live_x")
        with pytest.raises(KeyringUnavailable):
            stored_key(EU, "acme")
    finally:
        keyring.set_keyring(previous)


def test_a_plain_http_server_is_refused_before_the_keyring_is_asked(
    memory: MemoryKeyring,
) -> None:
    with pytest.raises(ValueError, match="plain HTTP"):
        store_key("http://api-eu.flexportal.io", "acme", "sk")
    assert memory.entries == {}


def test_which_keyring_is_in_use_or_none(memory: MemoryKeyring) -> None:
    assert keyring_in_use() == memory.name
    keyring.set_keyring(fail.Keyring())  # the fixture puts the one before back
    assert keyring_in_use() is None


@pytest.mark.parametrize("platform", sorted(SYSTEM_BACKENDS))
def test_keyring_finds_each_systems_backend_through_its_entry_points(platform: str) -> None:
    # What a bundle must carry: keyring's metadata, and the module each entry names.
    assert system_backend_found(platform)
