"""The window: start-up, the main window that assembles the areas, its status line, actions and
crash dialog."""
