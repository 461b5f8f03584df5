"""Which base URLs the client may talk to: HTTPS everywhere, plain HTTP only on this machine."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flexdesk.api.errors import InsecureUrl

REGIONS: dict[str, str] = {
    "Europe": "https://api-eu.flexportal.io",
    "United States": "https://api-us.flexportal.io",
    "Qatar": "https://api-qatar.flexportal.io",
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def checked_base_url(url: str) -> str:
    """Return `url` without a trailing slash, or raise `InsecureUrl` with a reason to show."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise InsecureUrl(f"{url!r} is not an http(s) URL with a host name")
    if parts.scheme == "http" and not is_loopback(host):
        raise InsecureUrl(
            f"{url} uses plain HTTP: the API key would cross the network unencrypted. "
            "Use https:// (plain http is allowed only for this machine, e.g. the sandbox)."
        )
    if parts.query or parts.fragment:
        raise InsecureUrl(f"{url!r}: a base URL carries no query or fragment")
    return url.strip().rstrip("/")
