"""Connecting: the first-run dialog and saved profiles."""
