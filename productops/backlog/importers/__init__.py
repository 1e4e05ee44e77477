"""One module per tracker format; each exposes `read(paths, ...)` (see backlog/records.py)."""
