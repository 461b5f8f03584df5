"""Certificate checks: the CA bundle for HTTPS; for plain-HTTP loopback, a context that trusts
nothing (no TLS happens there, and loading the bundle costs start-up time)."""

from __future__ import annotations

import ssl

from flexdesk.api.client import _tls_for


def test_https_servers_are_checked_against_the_default_ca_bundle() -> None:
    assert _tls_for("https://api-eu.flexportal.io") is True


def test_the_loopback_context_would_refuse_every_certificate() -> None:
    context = _tls_for("http://127.0.0.1:8000")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() == []
