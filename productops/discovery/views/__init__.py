"""Discovery pages, one module per area; their URLs are in `discovery/urls.py`."""
