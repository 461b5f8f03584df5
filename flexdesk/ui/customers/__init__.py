"""The customer list: table model, search and filter proxy, the view, and the loader that pages
from the server or the cache."""
