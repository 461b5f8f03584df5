"""The FlexPortal API: models, the HTTP client and its typed errors. No Qt here."""
