"""Where the app connects: one server and one tenant, with the key kept out of every repr."""

from __future__ import annotations

from dataclasses import dataclass, field

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.urls import checked_base_url


@dataclass(frozen=True)
class Connection:
    base_url: str
    tenant_id: str
    token: str = field(repr=False)
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", checked_base_url(self.base_url))
        if not self.tenant_id.strip():
            raise ValueError("a tenant ID is required")

    @property
    def title(self) -> str:
        return self.label or f"{self.tenant_id} @ {self.base_url}"

    def open_client(self) -> FlexPortalClient:
        return FlexPortalClient(self.base_url, self.tenant_id, self.token)
