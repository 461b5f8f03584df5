"""Where the app connects: one server and one tenant, with the key kept out of every repr."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flexdesk.api.plans import TenantPlan
from flexdesk.api.urls import checked_base_url
from flexdesk.store import ConnectionKey

if TYPE_CHECKING:  # httpx: imported once the window has painted (issue #21)
    from flexdesk.api.client import FlexPortalClient


@dataclass(frozen=True)
class Connection:
    base_url: str
    tenant_id: str
    token: str = field(repr=False)
    label: str = ""
    # What drafts and the cache are kept under, when not the URL: the built-in sandbox
    # listens on a new port each start but is the same server (its data file) every time.
    identity: str = ""
    # The tenant's FlexPortal plan, which sets the client's rate limit (kept per profile).
    plan: TenantPlan = TenantPlan.UNKNOWN

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", checked_base_url(self.base_url))
        if not self.tenant_id.strip():
            raise ValueError("a tenant ID is required")

    @property
    def title(self) -> str:
        return self.label or f"{self.tenant_id} @ {self.base_url}"

    @property
    def store_key(self) -> ConnectionKey:
        return ConnectionKey(self.identity or self.base_url, self.tenant_id)

    def whereabouts(self) -> str:
        """Where this connects, in words, so a user can reach the same server by hand."""
        where = f"Connected to {self.base_url}, tenant {self.tenant_id}."
        if self.is_builtin_sandbox:  # its key is the sandbox's published one, not a secret
            where += (f" This is the built-in sandbox: while flexdesk runs, any HTTP client "
                      f"can use it with the headers 'Authorization: Bearer {self.token}' and "
                      f"'Tenant-ID: {self.tenant_id}'.")
        return where

    @property
    def is_builtin_sandbox(self) -> bool:
        return self.identity.startswith(SANDBOX_IDENTITY)

    def open_client(self) -> FlexPortalClient:
        from flexdesk.api.client import FlexPortalClient

        return FlexPortalClient(self.base_url, self.tenant_id, self.token,
                                identity=self.identity or None, plan=self.plan)


SANDBOX_IDENTITY = "sandbox:"


def sandbox_identity(data_file: Path) -> str:
    """The built-in sandbox is known by its data file, whatever port it listens on."""
    return f"{SANDBOX_IDENTITY}{data_file.resolve()}"
