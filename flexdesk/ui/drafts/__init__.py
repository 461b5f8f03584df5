"""Drafts on disk and the outbox: the keeper that writes every edit, the drafts panel, and the sync
controller."""
