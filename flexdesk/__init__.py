"""flexdesk: a desktop editor for FlexPortal customer records."""

__version__ = "0.1.0"
