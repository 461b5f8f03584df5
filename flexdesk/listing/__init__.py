"""The customer list without Qt: columns and what each shows, sort and search keys, text
folding, and the paging state of a scope (which query, which cursor) and of the offline cache.

The widgets in `flexdesk.ui.customers` are thin adapters over these; tests use them plainly.
"""
