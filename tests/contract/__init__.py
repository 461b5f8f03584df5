"""The FlexPortal customers contract (the OpenAPI file here) and helpers to check against it."""
