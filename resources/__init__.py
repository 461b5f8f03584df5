"""Icons and desktop files, installed as the package `flexdesk.resources`."""
