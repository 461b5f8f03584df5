"""Named connections (server + tenant, and the tenant's plan) kept in the settings; their keys
stay in the keyring."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from flexdesk.api.plans import TenantPlan
from flexdesk.connection import Connection
from flexdesk.credentials import KeyringUnavailable, stored_key

_GROUP = "profiles"
_LAST = "profiles/last"
_SANDBOX = "start/sandbox"  # the first-run dialog's answer was the sandbox


class ProfileError(ValueError):
    """A profile that cannot be used, with a reason to show."""


class Profiles:
    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def names(self) -> list[str]:
        self._settings.beginGroup(_GROUP)
        try:
            return sorted(self._settings.childGroups())
        finally:
            self._settings.endGroup()

    def save(self, name: str, base_url: str, tenant_id: str,
             plan: TenantPlan = TenantPlan.UNKNOWN) -> None:
        if not name.strip() or "/" in name:
            raise ProfileError("A profile name is needed, without '/'.")
        self._settings.setValue(f"{_GROUP}/{name}/url", base_url)
        self._settings.setValue(f"{_GROUP}/{name}/tenant", tenant_id)
        self._settings.setValue(f"{_GROUP}/{name}/plan", plan.value)
        self._settings.sync()

    def plan(self, name: str) -> TenantPlan:
        """The tenant's plan as the user gave it; unknown (the adaptive limit) if never."""
        return TenantPlan.of(self._settings.value(f"{_GROUP}/{name}/plan"))

    def last(self) -> str | None:
        name = self._settings.value(_LAST)
        return name if isinstance(name, str) and name in self.names() else None

    def remember_last(self, name: str) -> None:
        self._settings.setValue(_LAST, name)
        self._settings.remove(_SANDBOX)
        self._settings.sync()

    def sandbox_chosen(self) -> bool:
        """The sandbox was chosen over a real connection: start it without asking again."""
        return bool(self._settings.value(_SANDBOX, False, type=bool))

    def remember_sandbox(self) -> None:
        self._settings.setValue(_SANDBOX, True)
        self._settings.sync()

    def address(self, name: str) -> tuple[str, str]:
        """The profile's server and tenant."""
        url = self._settings.value(f"{_GROUP}/{name}/url")
        tenant = self._settings.value(f"{_GROUP}/{name}/tenant")
        if not isinstance(url, str) or not isinstance(tenant, str):
            known = ", ".join(self.names()) or "none yet"
            raise ProfileError(f"No profile named {name!r} (profiles: {known}).")
        return url, tenant

    def name_for(self, base_url: str, tenant_id: str) -> str | None:
        """The profile that connects to this server and tenant, if one does."""
        wanted = (base_url.rstrip("/"), tenant_id)
        for name in self.names():
            url, tenant = self.address(name)
            if (url.rstrip("/"), tenant) == wanted:
                return name
        return None

    def connection(self, name: str, token: str | None = None) -> Connection:
        """The profile's connection, its key from `token` or else the keyring."""
        url, tenant = self.address(name)
        if not token:
            try:
                token = stored_key(url, tenant)
            except KeyringUnavailable as why:
                raise ProfileError(str(why)) from None
        if not token:
            raise ProfileError(f"No API key stored for profile {name!r}: run flexdesk "
                               f"--api-url {url} --tenant {tenant} --store-key")
        return Connection(url, tenant, token, label=name, plan=self.plan(name))
