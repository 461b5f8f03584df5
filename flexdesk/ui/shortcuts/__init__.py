"""The shortcut sheet (F1) and the remapping dialog."""
