"""Editing one customer: the form, field rows, address panels, undo, review and conflict dialogs,
and the save flow."""
