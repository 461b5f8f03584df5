"""Every widget of flexdesk. Nothing here speaks HTTP: workers call the api package."""
