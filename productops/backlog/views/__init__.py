"""Backlog pages, one module per area: imports, report (health page and item list)."""
