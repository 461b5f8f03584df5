"""Building the desktop app (see flexdesk.spec); never installed with flexdesk."""
