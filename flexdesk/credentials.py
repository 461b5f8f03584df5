"""API keys in the operating system's keyring, one per server and tenant.

Never a file: where no keyring backend works (a headless machine), `KeyringUnavailable` says
so and the caller asks for the key for this run only (or takes FLEXDESK_TOKEN).
"""

from __future__ import annotations

import logging

from flexdesk.api.urls import checked_base_url

log = logging.getLogger(__name__)

# keyring is imported inside each call: its import scans entry points for backends (~25 ms),
# and most starts (FLEXDESK_TOKEN, --sandbox) never read a key.

SERVICE = "flexdesk"
# The keyring of each desktop system, by the name keyring's entry points give its backend.
SYSTEM_BACKENDS = {"linux": "SecretService", "win32": "Windows", "darwin": "macOS"}


class KeyringUnavailable(RuntimeError):
    """No working keyring on this machine; the message says what to do instead."""


def _account(base_url: str, tenant_id: str) -> str:
    return f"{tenant_id}@{checked_base_url(base_url)}"


def _explain(error: Exception) -> KeyringUnavailable:
    # The library's own words ("No recommended backend was available. Install a recommended
    # 3rd party backend package; or, install the keyrings.alt package...") go to the log.
    log.info("keyring unavailable: %s", error)
    return KeyringUnavailable(
        "No system keyring is available, and flexdesk will not write the API key to a "
        "file. Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, "
        "Windows Credential Manager), or set FLEXDESK_TOKEN.")


def stored_key(base_url: str, tenant_id: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, _account(base_url, tenant_id))
    except KeyringError as error:
        raise _explain(error) from None


def store_key(base_url: str, tenant_id: str, key: str) -> None:
    if not key.strip():
        raise ValueError("an empty API key cannot be stored")
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, _account(base_url, tenant_id), key.strip())
    except KeyringError as error:
        raise _explain(error) from None


def forget_key(base_url: str, tenant_id: str) -> bool:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, _account(base_url, tenant_id))
    except PasswordDeleteError:
        return False
    except KeyringError as error:
        raise _explain(error) from None
    return True


def keyring_in_use() -> str | None:
    """The keyring flexdesk keeps keys in here, in keyring's words ("SecretService Keyring",
    "Windows WinVaultKeyring"...), or None when no keyring works on this machine. Reads no
    key."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend):  # several work: the first one answers
        return " then ".join(str(each.name) for each in backend.backends) or None
    return str(backend.name)


def system_backend_found(platform: str) -> bool:
    """keyring finds this system's own backend through its entry points, and it loads: what a
    packaged flexdesk needs beside its modules (keyring's metadata). Whether the keyring itself
    is running is `keyring_in_use()`'s question."""
    from importlib.metadata import entry_points

    wanted = SYSTEM_BACKENDS.get(platform)
    if wanted is None:  # a system without a keyring of its own: nothing to find
        return True
    for entry in entry_points(group="keyring.backends"):
        if entry.name == wanted:
            entry.load()
            return True
    return False
